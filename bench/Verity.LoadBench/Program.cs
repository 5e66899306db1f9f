using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Verity.Data;
using Verity.LoadBench;

// Load on the assignment hot path: N annotators call next and submit against the real server over real HTTP until
// the project is exhausted; then the stored rows are checked against the assignment rules.
// The quality dashboard mode seeds a large project directly and times one page instead.
if (args is ["--dashboard"])
    return await DashboardBench.RunAsync();
if (args is ["--workbench"])
    return await WorkbenchBench.RunAsync();
if (args is ["--serving", var servingDb, .. var servingSizes])
    return await ServingBench.RunAsync(servingDb == "postgres" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite, [.. servingSizes.Select(int.Parse)]);

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (FormatException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

if (options.Replay is not null)
    return await Replay.RunAsync(options);

var itemLines = PairwiseItems.Load(options.DataDirectory, options.Items);
var provider = options.Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres";
Console.WriteLine($"Verity load benchmark: {provider}, {options.Annotators} annotators, {options.Items} items, overlap {options.Overlap}, think {options.ThinkMilliseconds} ms");

await using var database = await TestDatabase.CreateAsync(options.Provider);
await using var server = await BenchServer.StartAsync(database.Target);

using var requester = server.Client((await server.AddUserAsync("bench-requester", Roles.Requester)).Token);
using var created = await requester.PostAsJsonAsync(new Uri("api/v1/projects", UriKind.Relative), new
{
    name = "Load benchmark",
    kind = "pairwise",
    overlap = options.Overlap,
    guidelines = "Pick the argument that is more convincing.",
    rationale = new { required = true, minChars = 20 },
});
if (created.StatusCode != HttpStatusCode.Created)
    throw new InvalidOperationException($"creating the project answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
var projectId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

var clock = Stopwatch.StartNew();
using var imported = await requester.PostAsync(
    new Uri($"api/v1/projects/{projectId}/items", UriKind.Relative),
    new StringContent(string.Join('\n', itemLines) + "\n", Encoding.UTF8, "application/jsonl"));
var importTime = clock.Elapsed;
if (imported.StatusCode != HttpStatusCode.OK)
    throw new InvalidOperationException($"the import answered {(int)imported.StatusCode}: {await imported.Content.ReadAsStringAsync()}");
Console.WriteLine($"import   {options.Items} items in {importTime.TotalSeconds:F2} s ({options.Items / importTime.TotalSeconds:F0} items/s)");

var annotators = new List<Annotator>();
var clients = new List<HttpClient>();
for (var i = 0; i < options.Annotators; i++)
{
    var client = server.Client((await server.AddUserAsync($"bench-annotator-{i}", Roles.Annotator)).Token);
    clients.Add(client);
    annotators.Add(new Annotator(client, projectId, i, options.ThinkMilliseconds, options.Seconds));
}

clock.Restart();
await Task.WhenAll(annotators.Select(a => Task.Run(a.RunAsync)));
var workTime = clock.Elapsed;
foreach (var client in clients)
    client.Dispose();

var next = new Latencies();
var submit = new Latencies();
foreach (var annotator in annotators)
{
    next.AddRange(annotator.Next);
    submit.AddRange(annotator.Submit);
}

var submitted = annotators.Sum(a => a.Submitted);
Console.WriteLine($"work     {submitted} submissions in {workTime.TotalSeconds:F1} s ({submitted / workTime.TotalSeconds:F1} submissions/s)");
Console.WriteLine();
Console.WriteLine("latency (ms)      p50      p95      p99      max  requests");
foreach (var (name, latencies) in new[] { ("next", next), ("submit", submit) })
{
    Console.WriteLine(
        $"{name,-12} {latencies.Percentile(50),8:F1} {latencies.Percentile(95),8:F1} {latencies.Percentile(99),8:F1} {latencies.Max,8:F1} {latencies.Count,9}");
}

Console.WriteLine();
var failures = annotators.Select(a => a.Failure).OfType<string>().ToList();
foreach (var failure in failures)
    Console.WriteLine($"FAILED   {failure}");

var rules = await RuleCheck.RunAsync(database.Target, projectId, options.Overlap, submitted);
foreach (var (rule, holds, detail) in rules)
    Console.WriteLine($"{(holds ? "ok" : "BROKEN"),-8} {rule} ({detail})");

var passed = failures.Count == 0 && rules.TrueForAll(r => r.Holds);
Console.WriteLine(passed ? "rules: all hold" : "rules: BROKEN");
return passed ? 0 : 1;
