using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Verity.Data;

namespace Verity.LoadBench;

/// <summary>
/// Replays UKPConvArg1 through the HTTP API: every real judgement is submitted by its own worker, with its
/// rationale, on exactly the pair it was made on; then the server's live labels are compared with the gold labels.
/// </summary>
internal static class Replay
{
    private const int ImportBatch = 2000;

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var data = UkpConvArg1.Load(options.DataDirectory, options.LimitPairs);
        var workers = data.Judgements.Select(j => j.Worker).Distinct(StringComparer.Ordinal).ToList();
        var provider = options.Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"UKPConvArg1 replay: {provider}, {data.Pairs.Count:N0} pairs, {data.Judgements.Count:N0} judgements by {workers.Count:N0} workers, {options.Loops} loops, aggregation {options.Aggregation}"));

        await using var database = await TestDatabase.CreateAsync(options.Provider);
        await using var server = await BenchServer.StartAsync(database.Target);
        using var requester = server.Client((await server.AddUserAsync("replay-requester", Roles.Requester)).Token);
        using var created = await requester.PostAsJsonAsync(new Uri("api/v1/projects", UriKind.Relative), new
        {
            name = "UKPConvArg1 replay",
            kind = "pairwise",
            // Five judgements per pair at most in the data (four for a few), so overlap never turns a real one away.
            overlap = 5,
            guidelines = "Which argument is more convincing? Explain why.",
            // A few of the real reasons are very short; the data is replayed as it was written.
            rationale = new { required = false, minChars = 0 },
            aggregation = options.Aggregation,
        });
        await Expect(created, HttpStatusCode.Created, "creating the project");
        var projectId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var clock = Stopwatch.StartNew();
        foreach (var batch in data.Pairs.Chunk(ImportBatch))
        {
            var lines = batch.Select(p => JsonSerializer.Serialize(new
            {
                externalId = p.Id,
                prompt = p.Debate,
                // The dataset's own ids, so its labels (a1, a2) are the choices submitted and the labels read back.
                responses = new[] { new { id = "a1", text = p.First }, new { id = "a2", text = p.Second } },
                metadata = new { source = "UKPConvArg1" },
            }));
            using var imported = await requester.PostAsync(
                new Uri($"api/v1/projects/{projectId}/items", UriKind.Relative),
                new StringContent(string.Join('\n', lines) + "\n", Encoding.UTF8, "application/jsonl"));
            await Expect(imported, HttpStatusCode.OK, "the import");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"import   {data.Pairs.Count:N0} pairs in {clock.Elapsed.TotalSeconds:F1} s"));

        clock.Restart();
        var clients = new Dictionary<string, (HttpClient Client, string Pseudonym)>(StringComparer.Ordinal);
        foreach (var worker in workers)
        {
            var (token, id) = await server.AddUserAsync(worker, Roles.Annotator);
            clients[worker] = (server.Client(token), await server.PseudonymAsync(projectId, id));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"users    {workers.Count:N0} annotators with tokens in {clock.Elapsed.TotalSeconds:F1} s"));

        var pairs = data.Pairs.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var queue = new JudgementQueue(data.Judgements, seed: 1);
        var run = new ReplayRun(projectId, requester, pairs, clients, queue);
        clock.Restart();
        await Task.WhenAll(Enumerable.Range(0, options.Loops).Select(_ => Task.Run(run.LoopAsync)));
        var workTime = clock.Elapsed;
        foreach (var (client, _) in clients.Values)
            client.Dispose();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"work     {run.Submitted:N0} judgements submitted in {workTime.TotalSeconds:F1} s ({run.Submitted / workTime.TotalSeconds:F1} judgements/s); {run.Refused:N0} refused for good; {run.Refusals:N0} answers of 204 to an ask"));
        Console.WriteLine();
        Console.WriteLine("latency (ms)      p50      p95      p99      max  requests");
        foreach (var (name, latencies) in new[] { ("next", run.Next), ("submit", run.Submit) })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-12} {latencies.Percentile(50),8:F1} {latencies.Percentile(95),8:F1} {latencies.Percentile(99),8:F1} {latencies.Max,8:F1} {latencies.Count,9}"));
        }

        Console.WriteLine();
        if (run.Failure is not null)
        {
            Console.WriteLine($"FAILED   {run.Failure}");
            return 1;
        }

        // The labels as the replay left them (kept current on every submission, relabelled by the background pass every
        // few seconds), then after the owner's request for the annotators has measured everything once more.
        var served = new List<(string Method, Dictionary<string, string?> Labels)> { ($"live {options.Aggregation}, as the replay ended", await LabelsAsync(requester, projectId)) };
        clock.Restart();
        using (var measured = await requester.GetAsync(new Uri($"api/v1/projects/{projectId}/annotators", UriKind.Relative)))
            await Expect(measured, HttpStatusCode.OK, "measuring the annotators");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"measure  annotators and labels measured again in {clock.Elapsed.TotalSeconds:F1} s"));
        served.Add(($"live {options.Aggregation}, after measuring once more", await LabelsAsync(requester, projectId)));

        Report(data, served);
        return 0;
    }

    private static async Task<Dictionary<string, string?>> LabelsAsync(HttpClient requester, Guid projectId)
    {
        using var response = await requester.GetAsync(new Uri($"api/v1/projects/{projectId}/labels", UriKind.Relative));
        await Expect(response, HttpStatusCode.OK, "reading the labels");
        var labels = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var label in (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray())
        {
            labels[label.GetProperty("externalId").GetString()!] =
                label.TryGetProperty("label", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }

        return labels;
    }

    /// <summary>Agreement with gold of the server's labels and of a plain majority vote over the raw judgements.</summary>
    private static void Report(UkpConvArg1 data, List<(string Method, Dictionary<string, string?> Labels)> served)
    {
        var withGold = data.Pairs.Where(p => p.Gold is not null).ToList();
        var majority = data.Judgements.GroupBy(j => j.Pair, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Majority(g) is { } label ? UkpConvArg1.ToVerity(label) : null, StringComparer.Ordinal);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"labels   {withGold.Count:N0} replayed pairs have a gold label (gold equal = tie)"));
        Console.WriteLine();
        Console.WriteLine("| labels | gold pairs with a label | agree with gold | agreement | over all gold pairs | same as the majority vote below |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (method, labels) in served)
            Console.WriteLine(Row($"server, {method}", withGold, labels, majority));
        Console.WriteLine(Row("majority vote of the raw judgements (a1, a2, equal; a tie for the most votes is no label)", withGold, majority, majority));
    }

    /// <summary>The label with the most votes; null when two labels share the most (a split).</summary>
    private static string? Majority(IEnumerable<UkpJudgement> judgements)
    {
        var counts = judgements.GroupBy(j => j.Label, StringComparer.Ordinal).Select(g => (Label: g.Key, Votes: g.Count())).OrderByDescending(c => c.Votes).ToList();
        return counts.Count > 1 && counts[0].Votes == counts[1].Votes ? null : counts[0].Label;
    }

    private static string Row(string name, List<UkpPair> withGold, Dictionary<string, string?> labels, Dictionary<string, string?> majority)
    {
        var labelled = withGold.Where(p => labels.GetValueOrDefault(p.Id) is not null).ToList();
        var agree = labelled.Count(p => labels[p.Id] == UkpConvArg1.ToVerity(p.Gold!));
        var voted = labelled.Where(p => majority.GetValueOrDefault(p.Id) is not null).ToList();
        var sameAsVote = voted.Count(p => labels[p.Id] == majority[p.Id]);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {labelled.Count:N0} | {agree:N0} | {Share(agree, labelled.Count)} | {Share(agree, withGold.Count)} | {Share(sameAsVote, voted.Count)} |");
    }

    private static string Share(int part, int whole) =>
        whole == 0 ? "–" : ((double)part / whole).ToString("0.0000", CultureInfo.InvariantCulture);

    private static async Task Expect(HttpResponseMessage response, HttpStatusCode status, string what)
    {
        if (response.StatusCode != status)
            throw new InvalidOperationException($"{what} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
