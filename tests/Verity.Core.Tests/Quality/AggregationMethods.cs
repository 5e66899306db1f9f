using Verity.Core.Quality;

namespace Verity.Core.Tests.Quality;

/// <summary>Every categorical method under one name, for tests that must hold for all of them.</summary>
public static class AggregationMethods
{
    public static TheoryData<string> Names => new() { "mv", "ds", "ocds", "glad", "mace" };

    public static CategoricalResult Run(string name, CategoricalLabels data, int seed = 0)
    {
        var options = new AggregationOptions(Seed: seed);
        return name switch
        {
            "mv" => MajorityVote.Run(data, options),
            "ds" => DawidSkene.Run(data, options),
            "ocds" => DawidSkene.RunOneCoin(data, options),
            "glad" => Glad.Run(data, options),
            "mace" => Mace.Run(data, options),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown method"),
        };
    }
}
