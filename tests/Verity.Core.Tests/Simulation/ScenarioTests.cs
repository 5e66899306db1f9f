using Verity.Core.Simulation;

namespace Verity.Core.Tests.Simulation;

public class ScenarioTests
{
    /// <summary>The repository's scenario suite (scenarios/ beside Verity.slnx).</summary>
    public static string SuiteFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (dir.GetFiles("Verity.slnx").Length > 0)
                return Path.Combine(dir.FullName, "scenarios");
        }

        throw new DirectoryNotFoundException("no Verity.slnx above the test binaries");
    }

    public static Scenario Load(string name) => Scenario.Parse(File.ReadAllText(Path.Combine(SuiteFolder(), name + ".json")));

    [Fact]
    public void every_scenario_of_the_suite_parses_and_the_gated_ones_are_the_issues_cases()
    {
        var suite = Directory.GetFiles(SuiteFolder(), "*.json").Select(f => Scenario.Parse(File.ReadAllText(f))).ToList();

        suite.Where(s => s.Gated).Select(s => s.Name).Order(StringComparer.Ordinal).ShouldBe(
            ["careless", "targeted-alone", "targeted-colluding", "targeted-perfect-gold", "targeted-shared-rationale", "targeted-sleepers"]);
        foreach (var scenario in suite.Where(s => s.Gated && s.Name.StartsWith("targeted-", StringComparison.Ordinal)))
        {
            // The issue's setting: 10% adversaries (2 of 20) on a 15% slice.
            var crowd = Behaviours.Crowd(scenario);
            crowd.Count.ShouldBe(20, scenario.Name);
            crowd.Count(a => a.Adversary).ShouldBe(2, scenario.Name);
            scenario.Slices.Single(s => s.Targeted).Share.ShouldBe(0.15, scenario.Name);
        }

        // Every behaviour of the issue appears somewhere in the suite.
        suite.SelectMany(Behaviours.Crowd).Select(a => a.Behaviour).Distinct().Order(StringComparer.Ordinal).ShouldBe(Behaviours.All.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void a_bad_scenario_names_every_bad_field()
    {
        var error = Should.Throw<ValidationException>(() => Scenario.Parse("""
            {
              "name": "bad", "description": "", "seed": 1, "smallItems": 5, "fullItems": 100, "metadata": true, "longerIsBetter": 0.5,
              "slices": [ { "topic": "astrology", "share": 0.5 }, { "topic": "cooking", "share": 0.4 } ],
              "gold": { "share": 0.1, "targetedShare": 0.5 },
              "annotators": [ { "behaviour": "saboteur", "count": 2, "skill": [0.9, 0.7] }, { "behaviour": "flipper", "count": 1, "skill": [0.9] } ],
              "gated": false
            }
            """));

        error.Errors.Keys.Order(StringComparer.Ordinal).ShouldBe(
        [
            "annotators[0].behaviour",
            "annotators[0].skill",
            "annotators[1].behaviour",
            "gold.targetedShare",
            "slices",
            "slices[0].topic",
            "smallItems",
        ]);
    }

    [Fact]
    public void an_unknown_field_is_refused_by_name() =>
        Should.Throw<ValidationException>(() => Scenario.Parse("""{ "name": "x", "sliecs": [] }""")).Errors.Keys.ShouldContain("sliecs");

    [Fact]
    public void the_honest_crowd_replaces_each_adversary_in_its_place_with_an_honest_annotator_of_its_skill()
    {
        var scenario = Load("targeted-alone");
        var honest = scenario.HonestCrowd();

        var before = Behaviours.Crowd(scenario);
        var after = Behaviours.Crowd(honest);
        after.Count.ShouldBe(before.Count);
        after.ShouldAllBe(a => a.Behaviour == Behaviours.Honest && !a.Adversary);
        // The honest annotators keep their places and skills, so their seeded draws line up with the attacked run.
        after.Take(18).ShouldBe(before.Take(18));
        after.Skip(18).Select(a => a.Skill).ShouldBe(before.Skip(18).Select(a => a.Skill));
        honest.HasAdversaries.ShouldBeFalse();

        // A colluding group keeps its timing in the baseline, so both runs serve the same items to the same annotators.
        Behaviours.Crowd(Load("targeted-colluding").HonestCrowd()).Skip(18).ShouldAllBe(a => a.Group == 1 && !a.Adversary);
    }
}
