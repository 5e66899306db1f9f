using Verity.Data;

namespace Verity.LoadBench;

/// <summary>The command line: which database, how many annotators and items, and where the item data lives.</summary>
internal sealed record BenchOptions(DatabaseProvider Provider, int Annotators, int Items, int Overlap, string DataDirectory)
{
    public const string Usage =
        "usage: dotnet run -c Release --project bench/Verity.LoadBench -- --db sqlite|postgres [--annotators 50] [--items 2000] [--overlap 3] [--data ../shared/data]\n       dotnet run -c Release --project bench/Verity.LoadBench -- --dashboard";

    public static BenchOptions Parse(string[] args)
    {
        var provider = DatabaseProvider.Sqlite;
        int annotators = 50, items = 2000, overlap = 3;
        var data = Path.Combine("..", "shared", "data");
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
                default:
                    throw new FormatException($"unknown option {args[i]}");
            }

            i++;
        }

        // With fewer annotators than the overlap no item could ever be finished.
        if (overlap > annotators)
            throw new FormatException("--overlap must not exceed --annotators");
        return new BenchOptions(provider, annotators, items, overlap, data);
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, out var number) && number > 0 ? number : throw new FormatException($"{name} must be a positive whole number");
}
