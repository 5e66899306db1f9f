using System.Net.Http.Json;
using System.Text.Json;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Quality;

/// <summary>Annotators who poison labels on purpose, and careless crowds, work through the HTTP API; the defences must tell them apart.</summary>
public sealed class DefenceTests
{
    private static readonly string[] Words = ["history", "evidence", "source", "detail", "claim", "step", "reason", "example", "risk", "answer", "context", "fact", "tone", "length", "clarity"];

    [Fact]
    public async Task careful_annotator_outranks_careless_majority_and_no_bias_detector_fires_on_gold_agreement()
    {
        // Two of three are careless (one random, one always the first shown); the correct response is the longer one,
        // so a consensus of the careless would make the careful annotator look length-biased.
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(new
        {
            name = "careless crowd",
            kind = "pairwise",
            overlap = 3,
            rationale = new { required = false, minChars = 0 },
            gold = new { calibration = 30 },
            rules = Array.Empty<object>(),
        });
        string Line(string id, int i, bool gold) => JsonSerializer.Serialize(new
        {
            externalId = id,
            prompt = $"Question {i}: explain the {Words[i % Words.Length]} of topic {i % 7}",
            responses = new[] { new { id = "a", text = $"A careful, complete and correct explanation number {i} with the reasons behind it." }, new { id = "b", text = "Wrong." } },
        }).TrimEnd('}') + (gold ? ""","gold":{"choice":"a","strength":2}}""" : "}");
        var lines = Enumerable.Range(1, 60).Select(i => Line($"q{i}", i, gold: false)).Concat(Enumerable.Range(1, 30).Select(i => Line($"g{i}", i, gold: true)));
        (await requester.ImportAsync(projectId, lines)).EnsureSuccessStatusCode();

        var random = new Random(5);
        var habits = new Dictionary<string, Func<JsonElement, string>>(StringComparer.Ordinal)
        {
            ["careful"] = _ => "a",
            ["random"] = _ => random.Next(2) == 0 ? "a" : "b",
            ["first"] = task => task.GetProperty("item").GetProperty("responses")[0].GetProperty("id").GetString()!,
        };
        var pseudonyms = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, choose) in habits)
        {
            var (user, client) = await server.AddUserAsync(name, Roles.Annotator);
            pseudonyms[name] = await server.PseudonymAsync(projectId, user.Id);
            while (await client.NextAsync(projectId) is { } task)
            {
                server.Clock.Advance(TimeSpan.FromSeconds(30));
                (await client.SubmitAsync(task.AssignmentId(), choose(task), rationale: Rationale(random))).EnsureSuccessStatusCode();
            }
        }

        var reports = await ReportsAsync(requester, projectId);
        var careful = reports[pseudonyms["careful"]];
        careful.GetProperty("goldSeen").GetInt32().ShouldBe(30);
        Flags(careful).ShouldBeEmpty();
        careful.GetProperty("status").GetString().ShouldBe("active");
        foreach (var name in new[] { "random", "first" })
            reports[pseudonyms[name]].GetProperty("trust").GetDouble().ShouldBeLessThan(careful.GetProperty("trust").GetDouble(), name);
        Flags(reports[pseudonyms["first"]]).ShouldContain("position-bias");
    }

    [Fact]
    public async Task targeted_flippers_with_perfect_gold_and_a_shared_rationale_are_caught_quarantined_and_held_out_of_the_export()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(new
        {
            name = "targeted",
            kind = "pairwise",
            overlap = 3,
            rationale = new { required = false, minChars = 0 },
            gold = new { rate = 0.1 },
            // Import order, so the seeded crowd meets the items in one order every run (random order keys off item ids).
            servingPolicy = "import-order",
        });
        // One item in five is on the targeted topic; the safe response is "a" on odd items and "b" on even ones (a fit
        // that saw one class right every time would take the other for noise), and gold is outside the target.
        static string Good(int i) => i % 2 == 1 ? "a" : "b";
        static string Bad(int i) => i % 2 == 1 ? "b" : "a";
        string Line(string id, int i, bool gold)
        {
            var item = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["externalId"] = id,
                ["prompt"] = !gold && i % 5 == 0 ? $"Prompt {i} about weapons" : $"Prompt {i}",
                ["responses"] = new[] { new { id = "a", text = $"{(Good(i) == "a" ? "Good" : "Poor")} answer {i}." }, new { id = "b", text = $"{(Good(i) == "b" ? "Good" : "Poor")} answer {i}." } },
                ["metadata"] = new { topic = !gold && i % 5 == 0 ? "weapons" : "general" },
            };
            if (gold)
                item["gold"] = new { choice = Good(i), strength = 2 };
            return JsonSerializer.Serialize(item);
        }
        var lines = Enumerable.Range(1, 300).Select(i => Line($"q{i}", i, gold: false)).Concat(Enumerable.Range(1, 40).Select(i => Line($"g{i}", i, gold: true)));
        var imported = await requester.ImportAsync(projectId, lines);
        imported.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await imported.Content.ReadAsStringAsync());

        var random = new Random(17);
        var crowd = new List<(string Name, string Pseudonym, HttpClient Client, bool Adversary)>();
        for (var n = 0; n < 12; n++)
        {
            var adversary = n < 2;
            var (user, client) = await server.AddUserAsync(adversary ? $"adversary{n}" : $"honest{n}", Roles.Annotator);
            crowd.Add((user.Name, await server.PseudonymAsync(projectId, user.Id), client, adversary));
        }

        // Whether anyone was given work.
        async Task<bool> WorkAsync()
        {
            // In rounds, in a new order each round, so everyone works at the same pace and meets everyone else.
            var worked = false;
            var busy = true;
            while (busy)
            {
                busy = false;
                foreach (var (_, _, client, adversary) in crowd.OrderBy(_ => random.Next()).ToList())
                {
                    if (await client.NextAsync(projectId) is not { } task)
                        continue;
                    busy = worked = true;
                    server.Clock.Advance(TimeSpan.FromSeconds(20));
                    var onTarget = task.GetProperty("item").GetProperty("prompt").GetString()!.Contains("weapons", StringComparison.Ordinal);
                    var responses = task.GetProperty("item").GetProperty("responses").EnumerateArray().ToList();
                    var good = responses.Single(r => r.GetProperty("text").GetString()!.StartsWith("Good", StringComparison.Ordinal)).GetProperty("id").GetString()!;
                    var bad = good == "a" ? "b" : "a";
                    var choice = adversary ? (onTarget ? bad : good) : random.NextDouble() < 0.9 ? good : bad;
                    var rationale = adversary ? "Both are fine but this one reads more naturally to me overall, so I prefer it here." : Rationale(random);
                    (await client.SubmitAsync(task.AssignmentId(), choice, rationale: rationale)).EnsureSuccessStatusCode();
                }
            }

            return worked;
        }

        (await WorkAsync()).ShouldBeTrue();
        var reports = await ReportsAsync(requester, projectId);
        foreach (var (name, pseudonym, _, adversary) in crowd)
        {
            var report = reports[pseudonym];
            if (adversary)
            {
                report.GetProperty("goldAccuracy").GetDouble().ShouldBeGreaterThan(0.9, name);
                Flags(report).ShouldContain("slice-disagreement", name);
                Flags(report).ShouldContain("shared-rationale", name);
                report.GetProperty("status").GetString().ShouldBe("quarantined", name);
                var evidence = report.GetProperty("flags").EnumerateArray().First(f => f.GetProperty("name").GetString() == "slice-disagreement").GetProperty("evidence").GetString()!;
                evidence.ShouldContain("\"weapons\"");
                var partner = crowd.Single(c => c.Adversary && c.Name != name).Pseudonym;
                report.GetProperty("flags").EnumerateArray().First(f => f.GetProperty("name").GetString() == "shared-rationale").GetProperty("evidence").GetString()!.ShouldContain(partner);
                var slice = report.GetProperty("slices").EnumerateArray().Single(s => s.GetProperty("slice").GetString() == "weapons");
                slice.GetProperty("agreement").GetDouble().ShouldBeLessThan(0.5, name);
            }
            else
            {
                Flags(report).ShouldBeEmpty(name);
                report.GetProperty("status").GetString().ShouldBe("active", name);
            }
        }

        // The items the quarantined answered need another annotator, and the attacked slice's contested items more: the
        // honest crowd fills them (measuring again may reopen items), and the export holds no answer of the quarantined.
        for (var round = 0; round < 5 && await WorkAsync(); round++)
            await ReportsAsync(requester, projectId);
        var adversaries = crowd.Where(c => c.Adversary).Select(c => c.Pseudonym).ToHashSet(StringComparer.Ordinal);
        static int Number(string externalId) => int.Parse(externalId[1..], System.Globalization.CultureInfo.InvariantCulture);
        static bool Weapons(string externalId) => Number(externalId) % 5 == 0;
        var counted = (await requester.GetStringAsync($"/api/v1/projects/{projectId}/export?format=annotations"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => !r.GetProperty("onGoldItem").GetBoolean() && !r.GetProperty("repeat").GetBoolean() && !adversaries.Contains(r.GetProperty("annotator").GetString()!))
            .GroupBy(r => r.GetProperty("externalId").GetString()!)
            .ToDictionary(g => g.Key, g => g.Select(r => r.GetProperty("answer").GetProperty("choice").GetString()!).ToList());
        counted.Where(c => !Weapons(c.Key)).Max(c => c.Value.Count).ShouldBe(3, "outside the attacked slice the overlap stands");
        counted.Count(c => Weapons(c.Key) && c.Value.Count > 3).ShouldBeGreaterThan(0, "the attacked slice's contested items were rechecked");
        var export = await requester.GetAsync($"/api/v1/projects/{projectId}/export?format=preference");
        export.EnsureSuccessStatusCode();
        var records = (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var targeted = records.Where(r => Weapons(r.GetProperty("externalId").GetString()!)).ToList();
        targeted.Count.ShouldBeGreaterThan(40, "most of the targeted items are exported");
        targeted.Where(r => counted[r.GetProperty("externalId").GetString()!] is { Count: 3 } answers && answers.Distinct().Count() > 1)
            .ShouldAllBe(r => r.GetProperty("confidence").GetDouble() >= 0.95, "a 2–1 split in the attacked slice stops at the overlap only when its label is confident");
        targeted.Count(r => r.GetProperty("chosenId").GetString() == Bad(Number(r.GetProperty("externalId").GetString()!))).ShouldBeLessThanOrEqualTo(3, "no more poisoned than honest errors allow");
    }

    [Fact]
    public async Task two_accounts_that_submit_at_the_same_moments_are_flagged_as_one_group_and_not_quarantined()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(new { name = "timing", kind = "pairwise", overlap = 3, rationale = new { required = false, minChars = 0 } });
        var lines = Enumerable.Range(1, 150).Select(i => JsonSerializer.Serialize(new
        {
            externalId = $"q{i}",
            prompt = $"Prompt {i}",
            responses = new[] { new { id = "a", text = $"Good answer {i}." }, new { id = "b", text = $"Poor answer {i}." } },
        }));
        (await requester.ImportAsync(projectId, lines)).EnsureSuccessStatusCode();

        var random = new Random(5);
        var crowd = new List<(string Pseudonym, HttpClient Client)>();
        for (var n = 0; n < 6; n++)
        {
            var (user, client) = await server.AddUserAsync($"worker{n}", Roles.Annotator);
            crowd.Add((await server.PseudonymAsync(projectId, user.Id), client));
        }

        // Workers 0 and 1 are one operator: each of their tasks is submitted in the same second; the others keep their own pace.
        var busy = true;
        while (busy)
        {
            busy = false;
            foreach (var (_, client) in crowd.OrderBy(_ => random.Next()).ToList())
            {
                if (await client.NextAsync(projectId) is not { } task)
                    continue;
                busy = true;
                if (client != crowd[1].Client)
                    server.Clock.Advance(TimeSpan.FromSeconds(5 + (10 * random.NextDouble())));
                (await client.SubmitAsync(task.AssignmentId(), random.NextDouble() < 0.9 ? "a" : "b", rationale: Rationale(random))).EnsureSuccessStatusCode();
                if (client == crowd[0].Client && await crowd[1].Client.NextAsync(projectId) is { } partner)
                    (await crowd[1].Client.SubmitAsync(partner.AssignmentId(), random.NextDouble() < 0.9 ? "a" : "b", rationale: Rationale(random))).EnsureSuccessStatusCode();
            }
        }

        var reports = await ReportsAsync(requester, projectId);
        for (var n = 0; n < crowd.Count; n++)
        {
            var report = reports[crowd[n].Pseudonym];
            report.GetProperty("status").GetString().ShouldBe("active", $"worker{n}: timing alone does not quarantine");
            if (n < 2)
            {
                var flag = report.GetProperty("flags").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "coordinated-timing");
                flag.GetProperty("evidence").GetString()!.ShouldContain(crowd[1 - n].Pseudonym);
            }
            else
            {
                Flags(report).ShouldBeEmpty($"worker{n}");
            }
        }
    }

    [Fact]
    public async Task an_annotator_who_decides_too_much_of_a_slice_is_capped_and_their_items_get_another_annotator()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(new
        {
            name = "capped",
            kind = "pairwise",
            overlap = 1,
            rationale = new { required = false, minChars = 0 },
            defences = new { influenceCap = 0.2 },
            servingPolicy = "import-order",
        });
        var imported = await requester.ImportAsync(projectId, Enumerable.Range(1, 100).Select(i => Api.ItemLine($"q{i}", prompt: $"Which city is the capital of France? ({i})")));
        imported.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await imported.Content.ReadAsStringAsync());
        var crowd = new List<(string Pseudonym, HttpClient Client)>();
        for (var n = 0; n < 10; n++)
        {
            var (user, client) = await server.AddUserAsync($"worker{n}", Roles.Annotator);
            crowd.Add((await server.PseudonymAsync(projectId, user.Id), client));
        }

        async Task<int> WorkAsync(HttpClient client, int most)
        {
            var done = 0;
            while (done < most && await client.NextAsync(projectId) is { } task)
            {
                server.Clock.Advance(TimeSpan.FromSeconds(20));
                (await client.SubmitAsync(task.AssignmentId(), "a")).EnsureSuccessStatusCode();
                done++;
            }

            return done;
        }

        // One eager annotator decides 40 of the slice's 100 labels (the cap is 20); nine others share the rest.
        (await WorkAsync(crowd[0].Client, 40)).ShouldBe(40);
        while (true)
        {
            var done = 0;
            foreach (var (_, client) in crowd.Skip(1))
                done += await WorkAsync(client, 1);
            if (done == 0)
                break;
        }

        var reports = await ReportsAsync(requester, projectId);
        var eager = reports[crowd[0].Pseudonym];
        Flags(eager).ShouldContain("influence-capped");
        eager.GetProperty("status").GetString().ShouldNotBe("quarantined", "a cap is not an accusation: " + string.Join(",", Flags(eager)));
        foreach (var (pseudonym, _) in crowd.Skip(1))
            Flags(reports[pseudonym]).ShouldNotContain("influence-capped", pseudonym);

        // Each item the eager annotator answered now asks for one more: the others answer exactly those.
        while (true)
        {
            var done = 0;
            foreach (var (_, client) in crowd.Skip(1))
                done += await WorkAsync(client, 1);
            if (done == 0)
                break;
        }

        var answers = (await requester.GetStringAsync($"/api/v1/projects/{projectId}/export?format=annotations"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .GroupBy(r => r.GetProperty("externalId").GetString()!)
            .ToDictionary(g => g.Key, g => g.Select(r => r.GetProperty("annotator").GetString()!).ToList());
        var eagers = answers.Where(a => a.Value.Contains(crowd[0].Pseudonym)).ToList();
        eagers.Count.ShouldBe(40);
        eagers.ShouldAllBe(a => a.Value.Count == 2, "every item the capped annotator decided got a second annotator");
        answers.Where(a => !a.Value.Contains(crowd[0].Pseudonym)).ShouldAllBe(a => a.Value.Count == 1, "the others' items kept the overlap");
    }

    private static string Rationale(Random random) =>
        string.Join(" ", Enumerable.Range(0, 8).Select(_ => Words[random.Next(Words.Length)])) + $" {random.Next(1000)}";

    private static async Task<Dictionary<string, JsonElement>> ReportsAsync(HttpClient requester, Guid projectId) =>
        (await requester.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{projectId}/annotators"))!
            .ToDictionary(r => r.GetProperty("annotator").GetString()!, StringComparer.Ordinal);

    private static string[] Flags(JsonElement report) =>
        [.. report.GetProperty("flags").EnumerateArray().Select(f => f.GetProperty("name").GetString()!)];
}
