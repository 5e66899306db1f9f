using Verity.Data;

namespace Verity.LoadBench;

/// <summary>
/// The command line: which database, how many annotators and items, and where the item data lives; with
/// <c>--replay ukpconvarg1</c>, the real judgements of that set are replayed instead (<see cref="Replay"/>).
/// </summary>
internal sealed record BenchOptions(
    DatabaseProvider Provider, int Annotators, int Items, int Overlap, string DataDirectory, string? Replay = null, int? LimitPairs = null, int Loops = 32, string Aggregation = "dawid-skene",
    int ThinkMilliseconds = 0, int? Seconds = null)
{
    public const string Usage =
        "usage: dotnet run -c Release --project bench/Verity.LoadBench -- --db sqlite|postgres [--annotators 50] [--items 2000] [--overlap 3] [--think-ms 0] [--seconds N] [--data DIR]\n"
        + "       dotnet run -c Release --project bench/Verity.LoadBench -- --replay ukpconvarg1 [--db sqlite|postgres] [--limit-pairs N] [--loops 32] [--aggregation dawid-skene|mace|trust-weighted|majority] [--data DIR]\n"
        + "       dotnet run -c Release --project bench/Verity.LoadBench -- --dashboard\n"
        + "       dotnet run -c Release --project bench/Verity.LoadBench -- --serving sqlite|postgres 2000 200000";

    public static BenchOptions Parse(string[] args)
    {
        var provider = DatabaseProvider.Sqlite;
        int annotators = 50, items = 2000, overlap = 3;
        var data = RepositoryData.Folder;
        string? replay = null;
        int? limitPairs = null;
        var loops = 32;
        var aggregation = "dawid-skene";
        var think = 0;
        int? seconds = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new FormatException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--db":
                    provider = value switch
                    {
                        "sqlite" => DatabaseProvider.Sqlite,
                        "postgres" => DatabaseProvider.Postgres,
                        _ => throw new FormatException($"--db must be sqlite or postgres, not \"{value}\""),
                    };
                    break;
                case "--annotators":
                    annotators = Positive(args[i], value);
                    break;
                case "--items":
                    items = Positive(args[i], value);
                    break;
                case "--overlap":
                    overlap = Positive(args[i], value);
                    break;
                case "--data":
                    data = value;
                    break;
                case "--replay":
                    replay = value == "ukpconvarg1" ? value : throw new FormatException($"--replay knows only ukpconvarg1, not \"{value}\"");
                    break;
                case "--limit-pairs":
                    limitPairs = Positive(args[i], value);
                    break;
                case "--loops":
                    loops = Positive(args[i], value);
                    break;
                case "--aggregation":
                    aggregation = value;
                    break;
                case "--think-ms":
                    think = Positive(args[i], value);
                    break;
                case "--seconds":
                    seconds = Positive(args[i], value);
                    break;
                default:
                    throw new FormatException($"unknown option {args[i]}");
            }

            i++;
        }

        // With fewer annotators than the overlap no item could ever be finished.
        if (replay is null && overlap > annotators)
            throw new FormatException("--overlap must not exceed --annotators");
        return new BenchOptions(provider, annotators, items, overlap, data, replay, limitPairs, loops, aggregation, think, seconds);
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, out var number) && number > 0 ? number : throw new FormatException($"{name} must be a positive whole number");
}
