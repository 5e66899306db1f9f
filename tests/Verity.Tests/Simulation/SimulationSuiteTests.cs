using System.Globalization;
using System.Text.Json;
using Verity.Cli;
using Xunit.Abstractions;

namespace Verity.Tests.Simulation;

/// <summary>
/// The attack scenarios of scenarios/ run through <c>verity simulate</c> against the real server (SQLite, small size),
/// held to the "done when" of the issue on trust that cannot be gamed.
/// </summary>
[Collection(SimulationCollection.Name)]
public sealed class SimulationSuiteTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("verity-simulate-").FullName;

    private static string SuiteFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (dir.GetFiles("Verity.slnx").Length > 0)
                return Path.Combine(dir.FullName, "scenarios");
        }

        throw new DirectoryNotFoundException("no Verity.slnx above the test binaries");
    }

    [Fact]
    public async Task the_suite_keeps_poison_out_of_the_export_catches_every_adversary_and_trusts_the_careful()
    {
        var (code, output, error) = await RunAsync("simulate", "--scenario", SuiteFolder(), "--size", "small", "--json");
        code.ShouldBe(0, error);
        // Every number of the run, for whoever reads a failure.
        log.WriteLine(output);
        using var results = JsonDocument.Parse(output);
        var scenarios = results.RootElement.EnumerateArray().ToDictionary(s => s.GetProperty("scenario").GetString()!, StringComparer.Ordinal);

        var failures = new List<string>();
        var gated = scenarios.Where(s => s.Value.GetProperty("gated").GetBoolean()).ToList();
        foreach (var (name, scenario) in gated)
        {
            var attacked = scenario.GetProperty("attacked");
            if (name == "careless")
            {
                // Trust ranks people by how right they are, and a bias detector never fires on choices that agree with gold.
                var annotators = attacked.GetProperty("annotators").EnumerateArray().ToList();
                var careful = annotators.Single(a => a.GetProperty("behaviour").GetString() == "honest");
                var top = annotators.MaxBy(Trust);
                if (top.GetProperty("name").GetString() != careful.GetProperty("name").GetString())
                    failures.Add($"careless: {top.GetProperty("name")} has the highest trust ({Trusts(annotators)}), not the careful annotator");
                var bias = careful.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).Where(f => f.EndsWith("-bias", StringComparison.Ordinal)).ToList();
                if (bias.Count > 0)
                    failures.Add($"careless: the careful annotator is flagged {string.Join(", ", bias)}");
                continue;
            }

            // The issue's bar: within 2 points of an honest crowd's. Replacing a quarantined adversary's answers moves a
            // 150-item slice by a few items either way; rechecking the attacked slice's contested items is what keeps every
            // run under it (BENCHMARKS.md, three seeds).
            var poisoned = Targeted(attacked);
            var honest = Targeted(scenario.GetProperty("honestCrowd"));
            if (poisoned > honest + 0.02 + 1e-9)
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: {poisoned:P1} of the targeted slice is poisoned in the export against {honest:P1} from an honest crowd"));
            var caught = attacked.GetProperty("adversariesCaught").GetInt32();
            var adversaries = attacked.GetProperty("adversaries").GetInt32();
            if (caught < adversaries)
                failures.Add($"{name}: {caught} of {adversaries} adversaries flagged or quarantined");
            var flagged = attacked.GetProperty("honestFlagged").GetInt32();
            if (flagged > 1)
                failures.Add($"{name}: {flagged} of {attacked.GetProperty("honest").GetInt32()} honest annotators flagged (at most 1 allowed)");
        }

        // The five attack strategies of the issue and the careless case.
        gated.Count.ShouldBe(6);
        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task a_run_replays_exactly_and_the_baseline_differs_only_by_the_adversaries()
    {
        // Defences off: they would (rightly) ask for more annotators where the flipper answered, and this is about the
        // simulator. Gold on: which gold items each annotator is served must replay too.
        var scenario = Path.Combine(_folder, "tiny.json");
        await File.WriteAllTextAsync(scenario, """
            {
              "name": "tiny", "description": "4 honest annotators and a flipper on 60 items and 12 gold.", "seed": 3,
              "smallItems": 60, "fullItems": 60, "metadata": true, "longerIsBetter": 0.5,
              "slices": [ { "topic": "medication", "share": 0.5, "targeted": true }, { "topic": "cooking", "share": 0.5 } ],
              "gold": { "share": 0.2, "targetedShare": 0 },
              "project": { "defences": { "enabled": false }, "gold": { "rate": 0.2 }, "servingPolicy": "import-order" },
              "annotators": [ { "behaviour": "honest", "count": 4, "skill": [0.7, 0.9] }, { "behaviour": "flipper", "count": 1, "skill": [0.8] } ],
              "gated": false
            }
            """);

        var first = await RunJsonAsync(scenario);
        var second = await RunJsonAsync(scenario);

        string Summary(JsonElement run) => string.Join(" | ",
            run.GetProperty("export").GetRawText(), run.GetProperty("majorityVote").GetRawText(), run.GetProperty("labels").GetInt32(),
            string.Join(",", run.GetProperty("annotators").EnumerateArray().Select(a => $"{a.GetProperty("name")}:{a.GetProperty("labels")}:{a.GetProperty("trust")}")));
        Summary(second.GetProperty("attacked")).ShouldBe(Summary(first.GetProperty("attacked")));
        Summary(second.GetProperty("honestCrowd")).ShouldBe(Summary(first.GetProperty("honestCrowd")));

        // Both runs serve the same items to the same annotators, and the flipper answers like its honest stand-in (the
        // same skill, the same luck) off the slice: the majority vote differs only on the targeted slice, and only by poison.
        var attacked = first.GetProperty("attacked");
        var honest = first.GetProperty("honestCrowd");
        attacked.GetProperty("labels").GetInt32().ShouldBe(honest.GetProperty("labels").GetInt32());
        Targeted(attacked, "majorityVote").ShouldBeGreaterThan(Targeted(honest, "majorityVote"));
        Untargeted(attacked).ShouldBe(Untargeted(honest));
    }

    [Fact]
    public async Task a_bad_scenario_file_is_refused_naming_the_file_and_field()
    {
        var bad = Path.Combine(_folder, "bad.json");
        await File.WriteAllTextAsync(bad, """{ "name": "bad", "smallItems": 1 }""");

        var (code, _, error) = await RunAsync("simulate", "--scenario", bad);

        code.ShouldBe(VerityCli.BadInput);
        error.ShouldContain("bad.json: smallItems");
        (await RunAsync("simulate", "--scenario", Path.Combine(_folder, "missing.json"))).Code.ShouldBe(VerityCli.BadInput);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static double Targeted(JsonElement run, string shares = "export")
    {
        var slice = run.GetProperty(shares).EnumerateArray().Single(s => s.GetProperty("targeted").GetBoolean());
        return slice.GetProperty("share").GetDouble();
    }

    private static string Untargeted(JsonElement run) =>
        string.Join(",", run.GetProperty("majorityVote").EnumerateArray().Where(s => !s.GetProperty("targeted").GetBoolean()).Select(s => s.GetRawText()));

    private static string Trusts(IEnumerable<JsonElement> annotators) =>
        string.Join(", ", annotators.Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.GetProperty("name")} {Trust(a):0.###}")));

    /// <summary>The server's trust; an annotator it does not list (it answered nothing) ranks last.</summary>
    private static double Trust(JsonElement annotator) =>
        annotator.GetProperty("trust").ValueKind == JsonValueKind.Number ? annotator.GetProperty("trust").GetDouble() : -1;

    private static async Task<JsonElement> RunJsonAsync(string scenario)
    {
        var (code, output, error) = await RunAsync("simulate", "--scenario", scenario, "--json");
        code.ShouldBe(0, error);
        using var results = JsonDocument.Parse(output);
        return results.RootElement[0].Clone();
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await VerityCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}

/// <summary>
/// The suite keeps both cores busy for minutes; run alone, after the parallel tests, so browser tests beside it do
/// not time out.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SimulationCollection
{
    public const string Name = "simulation";
}
