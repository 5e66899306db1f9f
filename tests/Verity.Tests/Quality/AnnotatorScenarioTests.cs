using System.Net.Http.Json;
using System.Text.Json;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Quality;

/// <summary>Simulated annotators of known habits work through the HTTP API; the report must tell them apart.</summary>
public sealed class AnnotatorScenarioTests
{
    private const string Short = "Paris.";
    private const string Long = "The capital of France is Lyon, a large city on the Rhône known for its food and its silk.";

    [Fact]
    public async Task each_detector_fires_on_the_annotator_with_that_habit_and_not_on_the_accurate_ones()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(new
        {
            name = "scenario",
            kind = "pairwise",
            overlap = 8,
            rationale = new { required = false, minChars = 0 },
            gold = new { calibration = 12 },
            // Import order, so the seeded draws meet the items in one order every run (random order keys off item ids).
            servingPolicy = "import-order",
        });
        // "a" is always right; it is the longer response on half the items, so choosing the longer one is a habit
        // the consensus does not share.
        string Line(string id, bool aLonger, bool gold) => JsonSerializer.Serialize(new
        {
            externalId = id,
            prompt = "What is the capital of France?",
            responses = new[] { new { id = "a", text = aLonger ? "Paris is the capital of France, and has been for centuries, seat of the government." : Short }, new { id = "b", text = aLonger ? "Lyon." : Long } },
        }).TrimEnd('}') + (gold ? ""","gold":{"choice":"a","strength":2}}""" : "}");
        var lines = Enumerable.Range(1, 40).Select(i => Line($"q{i}", i % 2 == 0, gold: false)).Concat(Enumerable.Range(1, 12).Select(i => Line($"g{i}", i % 2 == 0, gold: true)));
        // One item per request: items are served in id order, and ids made in the same millisecond come out in random
        // order, which would change which item (and so which shown order) each seeded draw meets.
        foreach (var line in lines)
            (await requester.ImportAsync(projectId, [line])).EnsureSuccessStatusCode();

        var habits = new Dictionary<string, (Func<JsonElement, string> Choose, double Seconds)>(StringComparer.Ordinal)
        {
            ["accurate1"] = (_ => "a", 30),
            ["accurate2"] = (_ => "a", 25),
            ["accurate3"] = (_ => "a", 40),
            ["accurate4"] = (_ => "a", 35),
            ["first"] = (task => Responses(task)[0].Id, 30),
            ["longer"] = (task => Responses(task).OrderByDescending(r => r.Text.Length).First().Id, 30),
            ["fast"] = (_ => "a", 0.2),
            ["careless"] = (_ => "b", 30),
        };
        // Careful people write a different rationale each time; the copy detector would rightly flag a pasted one.
        var random = new Random(11);
        string[] words = ["history", "government", "population", "river", "seine", "geography", "centuries", "seat", "region", "city", "capital", "evidence", "answer", "claim", "fact"];
        string Rationale(string choice) =>
            $"Response {choice} names Paris as the capital of France; " + string.Join(" ", Enumerable.Range(0, 6).Select(_ => words[random.Next(words.Length)])) + $" {random.Next(1000)}";
        var pseudonyms = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, (choose, seconds)) in habits)
        {
            var (user, client) = await server.AddUserAsync(name, Roles.Annotator);
            pseudonyms[name] = await server.PseudonymAsync(projectId, user.Id);
            while (await client.GetAsync($"/api/v1/projects/{projectId}/next") is { StatusCode: System.Net.HttpStatusCode.OK } response)
            {
                var task = await response.Content.ReadFromJsonAsync<JsonElement>();
                server.Clock.Advance(TimeSpan.FromSeconds(seconds));
                var choice = choose(task);
                (await client.SubmitAsync(task.AssignmentId(), choice, rationale: Rationale(choice))).EnsureSuccessStatusCode();
            }
        }

        var reports = (await requester.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{projectId}/annotators"))!
            .ToDictionary(r => r.GetProperty("annotator").GetString()!, StringComparer.Ordinal);
        string[] Flags(string name) => reports[pseudonyms[name]].GetProperty("flags").EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToArray();

        foreach (var name in new[] { "accurate1", "accurate2", "accurate3", "accurate4" })
        {
            Flags(name).ShouldBeEmpty(name);
            reports[pseudonyms[name]].GetProperty("status").GetString().ShouldBe("active");
            reports[pseudonyms[name]].GetProperty("goldAccuracy").GetDouble().ShouldBeGreaterThan(0.9);
            reports[pseudonyms[name]].GetProperty("labels").GetInt32().ShouldBe(40);
            reports[pseudonyms[name]].GetProperty("goldSeen").GetInt32().ShouldBe(12);
        }

        Flags("first").ShouldContain("position-bias");
        Flags("longer").ShouldContain("length-bias");
        Flags("longer").ShouldNotContain("position-bias");
        Flags("fast").ShouldBe(["too-fast"]);
        Flags("careless").ShouldContain("low-gold-accuracy");
        reports[pseudonyms["careless"]].GetProperty("status").GetString().ShouldBe("removed");
        reports[pseudonyms["careless"]].GetProperty("labels").GetInt32().ShouldBe(0, "removed after the calibration set, before any real work");
        reports[pseudonyms["careless"]].GetProperty("flags").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "low-gold-accuracy")
            .GetProperty("evidence").GetString()!.ShouldContain("goldAccuracy");
        var accurateTrust = reports[pseudonyms["accurate1"]].GetProperty("trust").GetDouble();
        foreach (var name in new[] { "first", "longer", "fast", "careless" })
            reports[pseudonyms[name]].GetProperty("trust").GetDouble().ShouldBeLessThan(accurateTrust, name);
    }

    private static List<(string Id, string Text)> Responses(JsonElement task) =>
        task.GetProperty("item").GetProperty("responses").EnumerateArray().Select(r => (r.GetProperty("id").GetString()!, r.GetProperty("text").GetString()!)).ToList();
}
