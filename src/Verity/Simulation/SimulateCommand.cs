using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Verity.Cli;
using Verity.Core;
using Verity.Core.Simulation;

namespace Verity.Simulation;

/// <summary>
/// <c>verity simulate</c>: runs attack scenarios against a real server through the public API and reports, per
/// scenario, the poisoned share of the export beside a plain majority vote and an honest crowd, who was caught, and
/// the labels spent.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var scenario = new Option<string[]>("--scenario")
        {
            Description = "A scenario file (JSON), or a folder of them; may be given more than once.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var db = new Option<string?>("--db") { Description = "sqlite:PATH or a PostgreSQL connection string; default: a fresh SQLite file per run, deleted afterwards." };
        var size = new Option<string>("--size") { Description = "small (seconds per run) or full.", DefaultValueFactory = _ => "small" };
        size.AcceptOnlyFromAmong("small", "full");
        var seed = new Option<int?>("--seed") { Description = "Replaces every scenario's seed." };
        var json = new Option<bool>("--json") { Description = "Write the results as JSON instead of a table." };
        var command = new Command("simulate", "Run annotator attack scenarios against a real server and report what reaches the export.")
        {
            scenario, db, size, seed, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var scenarios = SimulationSuite.Load(parse.GetValue(scenario)!).Select(s => parse.GetValue(seed) is { } n ? s.Scenario with { Seed = n } : s.Scenario).ToList();
                var results = await SimulationSuite.RunAsync(
                    scenarios, parse.GetValue(size) == "full" ? ScenarioSize.Full : ScenarioSize.Small, parse.GetValue(db),
                    line => error.WriteLine($"verity simulate: {line}"), cancellationToken);
                var output = parse.InvocationConfiguration.Output;
                if (parse.GetValue(json))
                    await output.WriteLineAsync(JsonSerializer.Serialize(results.Select(SimulationJson.Of), SimulationJson.Options));
                else
                    WriteTable(output, results);
                return 0;
            }
            catch (Exception e) when (e is ValidationException or IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"verity: {e.Message}");
                return VerityCli.BadInput;
            }
        });
        return command;
    }

    private static void WriteTable(TextWriter output, IReadOnlyList<ScenarioResult> results)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        // Redirected output reports 80 columns; the table is wider and must not wrap its numbers.
        console.Profile.Width = Math.Max(console.Profile.Width, 160);
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("scenario", "slice", "export", "majority vote", "honest crowd", "adversaries caught", "honest flagged", "labels (extra)", "most trusted");
        foreach (var result in results)
        {
            var attacked = result.Attacked;
            var targeted = attacked.TargetedExport;
            string Share(RunResult? run, Func<RunResult, IReadOnlyList<SliceShare>> shares) =>
                run is null ? "—" : Percent(Pick(shares(run), targeted is not null));
            table.AddRow(
                Markup.Escape(result.Scenario.Name),
                Markup.Escape(targeted?.Topic ?? "all"),
                Share(attacked, r => r.Export),
                Share(attacked, r => r.Majority),
                Share(result.Baseline, r => r.Export),
                $"{attacked.AdversariesCaught}/{attacked.Adversaries}",
                $"{attacked.HonestFlagged}/{attacked.Honest}",
                result.ExtraLabels is { } extra ? $"{attacked.Labels + attacked.GoldLabels} ({extra:+0;-0;0})" : $"{attacked.Labels + attacked.GoldLabels}",
                Markup.Escape(attacked.Annotators.MaxBy(a => a.Trust ?? -1)?.Annotator.Name ?? "—"));
        }

        console.Write(table);
        console.WriteLine("Shares are of the targeted slice's items (or of all items when nothing is targeted) whose record chooses the worse response.");
    }

    /// <summary>The targeted slice, or every slice pooled.</summary>
    private static SliceShare Pick(IReadOnlyList<SliceShare> shares, bool targeted) =>
        targeted ? shares.First(s => s.Targeted) : new SliceShare("all", false, shares.Sum(s => s.Items), shares.Sum(s => s.Poisoned));

    private static string Percent(SliceShare share) =>
        string.Create(CultureInfo.InvariantCulture, $"{share.Share:P1} ({share.Poisoned}/{share.Items})");
}
