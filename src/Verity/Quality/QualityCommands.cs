using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Verity.Cli;
using Verity.Core.Quality;

namespace Verity.Quality;

/// <summary>The <c>verity aggregate</c> and <c>verity agreement</c> commands over CSV files.</summary>
public static class QualityCommands
{
    private static readonly string[] CategoricalMethods = ["mv", "wmv", "ds", "ocds", "glad", "mace"];
    private static readonly string[] PairwiseMethods = ["bt", "nbt"];

    /// <summary><c>verity aggregate</c>: one label and a confidence per item, or a score per item for pairwise data.</summary>
    public static Command Aggregate()
    {
        var input = new Option<string>("--input") { Required = true, Description = "CSV item,worker,label (bt/nbt: worker,left,right,winner)" };
        var method = new Option<string>("--method") { Required = true, Description = "mv, wmv, ds, ocds, glad, mace, bt or nbt" };
        method.AcceptOnlyFromAmong([.. CategoricalMethods, .. PairwiseMethods]);
        var gold = new Option<string?>("--gold") { Description = "CSV item,label: print accuracy and calibration error on these items" };
        var weights = new Option<string?>("--weights") { Description = "CSV worker,weight for wmv (unlisted workers weigh 1)" };
        var output = new Option<string?>("--out") { Description = "write item,label,confidence (bt/nbt: item,score,stderr,rank); default stdout" };
        var workers = new Option<string?>("--workers") { Description = "write per-worker estimates" };
        var seed = new Option<int>("--seed") { Description = "seed for breaking exact ties", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "print one JSON summary on stdout" };
        var command = new Command("aggregate", "Aggregate many labels per item into one label with a confidence.")
        {
            input, method, gold, weights, output, workers, seed, json,
        };
        command.SetReportingAction((parse, _) => Task.FromResult(RunAggregate(
            parse,
            parse.GetValue(input)!,
            parse.GetValue(method)!,
            parse.GetValue(gold),
            parse.GetValue(weights),
            parse.GetValue(output),
            parse.GetValue(workers),
            parse.GetValue(seed),
            parse.GetValue(json))));
        return command;
    }

    /// <summary><c>verity agreement</c>: an inter-rater agreement coefficient with an optional bootstrap interval.</summary>
    public static Command Agreement()
    {
        var input = new Option<string>("--input") { Required = true, Description = "CSV item,worker,value (empty value: missing)" };
        var metric = new Option<string>("--metric") { Required = true, Description = "percent, cohen, fleiss or krippendorff" };
        metric.AcceptOnlyFromAmong("percent", "cohen", "fleiss", "krippendorff");
        var level = new Option<string>("--level") { Description = "Krippendorff's level: nominal, ordinal, interval or ratio", DefaultValueFactory = _ => "nominal" };
        level.AcceptOnlyFromAmong("nominal", "ordinal", "interval", "ratio");
        var weights = new Option<string?>("--weights") { Description = "weights for Cohen's kappa: linear or quadratic" };
        weights.AcceptOnlyFromAmong("linear", "quadratic");
        var bootstrap = new Option<int>("--bootstrap") { Description = "bootstrap samples for a 95% interval (0: none)", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "bootstrap seed", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "print one JSON object on stdout" };
        var command = new Command("agreement", "Measure agreement between raters.")
        {
            input, metric, level, weights, bootstrap, seed, json,
        };
        command.SetReportingAction((parse, _) => Task.FromResult(RunAgreement(
            parse,
            parse.GetValue(input)!,
            parse.GetValue(metric)!,
            parse.GetValue(level)!,
            parse.GetValue(weights),
            parse.GetValue(bootstrap),
            parse.GetValue(seed),
            parse.GetValue(json))));
        return command;
    }

    private static int RunAggregate(ParseResult parse, string input, string method, string? gold, string? weights, string? output, string? workers, int seed, bool json)
    {
        var stdout = parse.InvocationConfiguration.Output;
        var summary = output is null && !json ? parse.InvocationConfiguration.Error : stdout;
        if (weights is not null && method != "wmv")
            throw new UsageException("--weights applies to --method wmv only");
        if (PairwiseMethods.Contains(method) && gold is not null)
            throw new UsageException("--gold applies to categorical methods only");

        var clock = Stopwatch.StartNew();
        var report = new JsonObject { ["method"] = method };
        if (PairwiseMethods.Contains(method))
        {
            var comparisons = QualityCsv.ReadComparisons(input);
            var reading = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var fit = method == "bt" ? BradleyTerry.Fit(comparisons) : BradleyTerry.FitNoisy(comparisons);
            var seconds = clock.Elapsed.TotalSeconds;
            WriteTable(output, json, stdout, "item,score,stderr,rank", comparisons.ItemCount, i =>
                $"{QualityCsv.Field(comparisons.ItemNames[i])},{Number(fit.Scores[i])},{Number(fit.StandardErrors[i])},{fit.Ranks[i]}");
            if (workers is not null)
            {
                WriteTable(workers, json: false, stdout, "worker,skill", comparisons.WorkerCount, w =>
                    $"{QualityCsv.Field(comparisons.WorkerNames[w])},{Number(fit.WorkerSkill[w])}");
            }

            Describe(report, comparisons.ItemCount, comparisons.WorkerCount, comparisons.Count, classes: null, fit.Iterations, reading, seconds);
        }
        else
        {
            var labels = QualityCsv.ReadLabels(input);
            var workerWeights = method == "wmv"
                ? weights is null ? throw new UsageException("--method wmv needs --weights") : QualityCsv.ReadWeights(weights, labels)
                : null;
            var reading = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var options = new AggregationOptions(Seed: seed);
            var result = method switch
            {
                "mv" => MajorityVote.Run(labels, options),
                "wmv" => MajorityVote.Run(labels, workerWeights, options),
                "ds" => DawidSkene.Run(labels, options),
                "ocds" => DawidSkene.RunOneCoin(labels, options),
                "glad" => Glad.Run(labels, options),
                _ => Mace.Run(labels, options),
            };
            var seconds = clock.Elapsed.TotalSeconds;
            WriteTable(output, json, stdout, "item,label,confidence", labels.ItemCount, i =>
                $"{QualityCsv.Field(labels.ItemNames[i])},{QualityCsv.Field(labels.ClassNames[result.Labels[i]])},{Number(result.Confidence[i])}");
            if (workers is not null)
                WriteWorkers(workers, labels, result);
            Describe(report, labels.ItemCount, labels.WorkerCount, labels.Count, labels.ClassCount, result.Iterations, reading, seconds);
            if (gold is not null)
            {
                var evaluation = GoldEvaluation.Evaluate(result, QualityCsv.ReadGold(gold, labels));
                report["goldItems"] = evaluation.Items;
                report["accuracy"] = Json(evaluation.Accuracy);
                report["ece"] = Json(evaluation.ExpectedCalibrationError);
            }
        }

        if (json)
            stdout.WriteLine(report.ToJsonString());
        else
            summary.WriteLine(Text(report));
        return 0;
    }

    private static int RunAgreement(ParseResult parse, string input, string metric, string level, string? weights, int bootstrap, int seed, bool json)
    {
        if (weights is not null && metric != "cohen")
            throw new UsageException("--weights applies to --metric cohen only");
        if (bootstrap < 0)
            throw new UsageException("--bootstrap must be 0 or more");

        var ratings = QualityCsv.ReadRatings(input);
        var measurement = Enum.Parse<MeasurementLevel>(level, ignoreCase: true);
        var kappaWeights = weights is null ? KappaWeights.None : Enum.Parse<KappaWeights>(weights, ignoreCase: true);
        Func<Ratings, double> compute = metric switch
        {
            "percent" => Core.Quality.Agreement.PercentAgreement,
            "cohen" => r => Core.Quality.Agreement.CohenKappa(r, kappaWeights),
            "fleiss" => Core.Quality.Agreement.FleissKappa,
            _ => r => Core.Quality.Agreement.KrippendorffAlpha(r, measurement),
        };

        double value;
        try
        {
            value = compute(ratings);
        }
        catch (ArgumentException e)
        {
            throw new InputException(input, 0, e.Message);
        }

        var (low, high) = bootstrap > 0 ? Core.Quality.Agreement.Bootstrap(ratings, compute, bootstrap, seed) : (double.NaN, double.NaN);
        var stdout = parse.InvocationConfiguration.Output;
        if (json)
        {
            var report = new JsonObject
            {
                ["metric"] = metric,
                ["level"] = metric == "krippendorff" ? level : "nominal",
                ["weights"] = weights ?? "none",
                ["value"] = Json(value),
                ["low"] = Json(low),
                ["high"] = Json(high),
                ["items"] = ratings.ItemCount,
                ["raters"] = ratings.RaterCount,
            };
            stdout.WriteLine(report.ToJsonString());
        }
        else
        {
            var name = metric switch
            {
                "percent" => "percent agreement",
                "cohen" => weights is null ? "Cohen's kappa" : $"Cohen's kappa ({weights})",
                "fleiss" => "Fleiss' kappa",
                _ => $"Krippendorff's alpha ({level})",
            };
            var interval = bootstrap > 0 ? $" (95% bootstrap interval {Number(low)} to {Number(high)}, {bootstrap} samples)" : "";
            stdout.WriteLine($"{name} = {Number(value)}{interval}; {ratings.ItemCount} items, {ratings.RaterCount} raters");
        }

        return 0;
    }

    private static void Describe(JsonObject report, int items, int workers, int labels, int? classes, int iterations, double reading, double seconds)
    {
        report["items"] = items;
        report["workers"] = workers;
        report["labels"] = labels;
        if (classes is not null)
            report["classes"] = classes;
        report["iterations"] = iterations;
        report["readSeconds"] = Math.Round(reading, 4);
        report["seconds"] = Math.Round(seconds, 4);
    }

    private static string Text(JsonObject report)
    {
        var line = $"{report["method"]}: {report["items"]} items, {report["workers"]} workers, {report["labels"]} labels, "
            + $"{report["iterations"]} iterations, {report["seconds"]} s (reading {report["readSeconds"]} s)";
        return report.ContainsKey("accuracy")
            ? $"{line}{Environment.NewLine}accuracy {report["accuracy"]} on {report["goldItems"]} gold items, expected calibration error {report["ece"]}"
            : line;
    }

    /// <summary>Writes a CSV table to a file, or to stdout unless stdout carries the JSON summary.</summary>
    private static void WriteTable(string? path, bool json, TextWriter stdout, string header, int rows, Func<int, string> row)
    {
        if (path is null && json)
            return;
        using var file = path is null ? null : new StreamWriter(path, append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);
        var writer = file ?? stdout;
        writer.WriteLine(header);
        for (var i = 0; i < rows; i++)
            writer.WriteLine(row(i));
    }

    private static void WriteWorkers(string path, CategoricalLabels labels, CategoricalResult result)
    {
        var counts = new int[labels.WorkerCount];
        foreach (var w in labels.Workers)
            counts[w]++;
        var k = labels.ClassCount;
        var header = "worker,labels,skill";
        if (result.WorkerConfusion is not null)
        {
            // One column per cell: P(given label | true class).
            for (var t = 0; t < k; t++)
            {
                for (var g = 0; g < k; g++)
                    header += "," + QualityCsv.Field($"p({labels.ClassNames[g]}|{labels.ClassNames[t]})");
            }
        }

        WriteTable(path, json: false, TextWriter.Null, header, labels.WorkerCount, w =>
        {
            var line = $"{QualityCsv.Field(labels.WorkerNames[w])},{counts[w]},{Number(result.WorkerSkill[w])}";
            if (result.WorkerConfusion is null)
                return line;
            var cells = result.WorkerConfusion.AsSpan(w * k * k, k * k).ToArray().Select(Number);
            return line + "," + string.Join(',', cells);
        });
    }

    private static string Number(double value) =>
        double.IsNaN(value) ? "NaN" : value.ToString("0.######", CultureInfo.InvariantCulture);

    private static JsonValue? Json(double value) => double.IsFinite(value) ? JsonValue.Create(Math.Round(value, 6)) : null;
}
