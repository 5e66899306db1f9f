using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Verity.Core.Quality;
using Verity.Quality;

namespace Verity.Bench;

/// <summary>Accuracy of every method on the real crowd sets, and speed on a synthetic million labels.</summary>
internal static class QualityBench
{
    private static readonly string[] Categorical = ["mv", "ds", "ocds", "glad", "mace"];
    private static readonly string[] Pairwise = ["bt", "nbt"];
    private const int WarmRuns = 5;

    public static int Accuracy()
    {
        var crowd = Path.Combine(RepositoryData.Folder, "crowd");
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"| set | labels | items | workers | classes | gold items | {string.Join(" | ", Categorical)} | DS − MV |");
        table.AppendLine(CultureInfo.InvariantCulture, $"| --- | ---: | ---: | ---: | ---: | ---: | {string.Join(" | ", Categorical.Select(_ => "---:"))} | ---: |");
        foreach (var set in Directory.GetDirectories(crowd).Order(StringComparer.Ordinal))
        {
            var labels = QualityCsv.ReadLabels(Path.Combine(set, "labels.csv"));
            var gold = QualityCsv.ReadGold(Path.Combine(set, "gold.csv"), labels);
            var accuracy = Categorical.Select(m => GoldEvaluation.Evaluate(Run(m, labels), gold)).ToArray();
            var best = accuracy.Max(a => double.IsNaN(a.Accuracy) ? 0 : a.Accuracy);
            var cells = accuracy.Select(a => double.IsNaN(a.Accuracy) ? "–" : a.Accuracy >= best - 1e-12 ? $"**{a.Accuracy:0.0000}**" : $"{a.Accuracy:0.0000}");
            var gain = accuracy[1].Accuracy - accuracy[0].Accuracy;
            var row = $"| {Path.GetFileName(set)} | {labels.Count:N0} | {labels.ItemCount:N0} | {labels.WorkerCount:N0} | {labels.ClassCount} | {accuracy[0].Items:N0} | {string.Join(" | ", cells)} | {(double.IsNaN(gain) ? "–" : gain.ToString("+0.0000;−0.0000;0", CultureInfo.InvariantCulture))} |";
            table.AppendLine(row);
            Console.WriteLine(row);
        }

        WriteSection("quality-accuracy", $"Accuracy on the gold items (best per set in bold), `{Machine()}`:\n\n{table}");
        return 0;
    }

    public static int Speed()
    {
        var folder = Path.Combine(Path.GetTempPath(), "verity-bench");
        Directory.CreateDirectory(folder);
        var labels = Path.Combine(folder, "labels-1m.csv");
        var gold = Path.Combine(folder, "gold-1m.csv");
        var pairs = Path.Combine(folder, "pairs-1m.csv");
        if (!File.Exists(labels) || !File.Exists(gold))
            Synthetic.Categorical(labels, gold, items: 200_000, classes: 4, perItem: 5, workers: 5_000, seed: 42);
        if (!File.Exists(pairs))
            Synthetic.Pairwise(pairs, items: 10_000, comparisons: 1_000_000, workers: 5_000, seed: 42);

        var table = new StringBuilder();
        table.AppendLine("| method | input | CSV parse s | cold run s | warm median s | warm best s | iterations | peak working set MB | accuracy |");
        table.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var method in Categorical.Concat(Pairwise))
        {
            var input = Pairwise.Contains(method) ? pairs : labels;
            using var json = JsonDocument.Parse(RunSelf("speed-run", method, input));
            var r = json.RootElement;
            var accuracy = r.TryGetProperty("accuracy", out var a) ? a.GetDouble().ToString("0.0000", CultureInfo.InvariantCulture) : "–";
            var row = string.Create(CultureInfo.InvariantCulture,
                $"| {method} | {Path.GetFileName(input)} | {r.GetProperty("parse").GetDouble():0.000} | {r.GetProperty("cold").GetDouble():0.000} | {r.GetProperty("median").GetDouble():0.000} | {r.GetProperty("min").GetDouble():0.000} | {r.GetProperty("iterations").GetInt32()} | {r.GetProperty("peakMB").GetDouble():0} | {accuracy} |");
            table.AppendLine(row);
            Console.WriteLine(row);
        }

        var verity = VerityBinary();
        var endToEnd = new StringBuilder();
        endToEnd.AppendLine("| command | median of 3, wall s | slowest, wall s |");
        endToEnd.AppendLine("| --- | ---: | ---: |");
        foreach (var (method, input) in new[] { ("mv", labels), ("ds", labels), ("ocds", labels), ("glad", labels), ("mace", labels), ("bt", pairs), ("nbt", pairs) })
        {
            var output = Path.Combine(folder, $"out-{method}.csv");
            var times = new double[3];
            for (var run = 0; run < times.Length; run++)
            {
                var clock = Stopwatch.StartNew();
                Execute(verity, "aggregate", "--input", input, "--method", method, "--out", output, "--json");
                times[run] = clock.Elapsed.TotalSeconds;
            }

            Array.Sort(times);
            var row = string.Create(CultureInfo.InvariantCulture, $"| `verity aggregate --input {Path.GetFileName(input)} --method {method} --out out.csv --json` | {times[1]:0.000} | {times[2]:0.000} |");
            endToEnd.AppendLine(row);
            Console.WriteLine(row);
        }

        WriteSection(
            "quality-speed",
            $"`{Machine()}`. Synthetic sets: 1,000,000 labels (200,000 items, 4 classes, 5 labels per item, 5,000 workers, seed 42) "
            + "and 1,000,000 comparisons (10,000 items, 5,000 workers, seed 42). Each method runs in its own process: the CSV is parsed, then the "
            + $"method runs once cold (including JIT compilation) and {WarmRuns} times warm; the peak working set covers the whole process, parsing included. "
            + $"Load average when the run started: {LoadAverage()}.\n\n"
            + $"{table}\nEnd to end, the release `verity` binary as a child process (start-up, parsing, method, writing the output):\n\n{endToEnd}");
        return 0;
    }

    /// <summary>Child process: parse, run twice, report times and peak memory as one JSON line.</summary>
    public static int SpeedRun(string method, string file)
    {
        var clock = Stopwatch.StartNew();
        var pairwise = Pairwise.Contains(method);
        var labels = pairwise ? null : QualityCsv.ReadLabels(file);
        var comparisons = pairwise ? QualityCsv.ReadComparisons(file) : null;
        var parse = clock.Elapsed.TotalSeconds;

        // One cold run (it includes JIT compilation), then warm runs whose median is the figure that
        // counts: the machine is shared, and single timings wander.
        var times = new List<double>();
        var iterations = 0;
        CategoricalResult? result = null;
        for (var run = 0; run < 1 + WarmRuns; run++)
        {
            clock.Restart();
            if (pairwise)
                iterations = (method == "bt" ? BradleyTerry.Fit(comparisons!) : BradleyTerry.FitNoisy(comparisons!)).Iterations;
            else
                iterations = (result = Run(method, labels!)).Iterations;
            times.Add(clock.Elapsed.TotalSeconds);
        }

        var warm = times.Skip(1).Order().ToArray();
        var report = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["parse"] = parse,
            ["cold"] = times[0],
            ["median"] = warm[warm.Length / 2],
            ["min"] = warm[0],
            ["iterations"] = iterations,
            ["peakMB"] = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0,
        };
        if (result is not null)
        {
            var gold = Path.Combine(Path.GetDirectoryName(file)!, "gold-1m.csv");
            report["accuracy"] = GoldEvaluation.Evaluate(result, QualityCsv.ReadGold(gold, labels!)).Accuracy;
        }

        Console.WriteLine(JsonSerializer.Serialize(report));
        return 0;
    }

    private static CategoricalResult Run(string method, CategoricalLabels labels) => method switch
    {
        "mv" => MajorityVote.Run(labels),
        "ds" => DawidSkene.Run(labels),
        "ocds" => DawidSkene.RunOneCoin(labels),
        "glad" => Glad.Run(labels),
        _ => Mace.Run(labels),
    };

    private static string RunSelf(params string[] args)
    {
        var self = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? Execute(self, [typeof(QualityBench).Assembly.Location, .. args])
            : Execute(self, args);
    }

    private static string Execute(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {error}");
        return output;
    }

    private static string VerityBinary()
    {
        var path = Path.Combine(RepositoryData.Root, "src", "Verity", "bin", "Release", "net10.0", "verity");
        return File.Exists(path) ? path : throw new FileNotFoundException("build it first: dotnet build -c Release src/Verity", path);
    }

    internal static string Machine()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, {model ?? "unknown CPU"}, {memory:0} GiB, .NET {Environment.Version}");
    }

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>Replaces the text between the section's markers in BENCHMARKS.md.</summary>
    internal static void WriteSection(string name, string content)
    {
        var path = Path.Combine(RepositoryData.Root, "BENCHMARKS.md");
        var (begin, end) = ($"<!-- {name}:begin -->", $"<!-- {name}:end -->");
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n\n## Quality engine\n";
        var block = $"{begin}\n{content.TrimEnd()}\n{end}";
        var from = text.IndexOf(begin, StringComparison.Ordinal);
        var to = text.IndexOf(end, StringComparison.Ordinal);
        text = from >= 0 && to > from ? text[..from] + block + text[(to + end.Length)..] : text.TrimEnd() + "\n\n" + block + "\n";
        File.WriteAllText(path, text);
        Console.WriteLine($"wrote {path}");
    }
}
