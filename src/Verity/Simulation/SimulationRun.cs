using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Verity.Core.Quality;
using Verity.Core.Simulation;

namespace Verity.Simulation;

/// <summary>
/// One run of a scenario against a started server, through the public API only: the requester creates the project
/// and imports the items; the annotators work concurrently (<c>next</c>, <c>submit</c>) until nothing is left; then the
/// requester reads the annotators' standing and the preference export.
/// </summary>
internal sealed class SimulationRun
{
    /// <summary>Rounds of "work until 204, then let the server re-measure": a defence may reopen items once it has judged.</summary>
    private const int MaxRounds = 5;

    private readonly SimulationServer _server;
    private readonly Scenario _scenario;
    private readonly IReadOnlyList<SimItem> _items;
    private readonly Dictionary<string, SimItem> _byPrompt;
    private readonly ReadingDraws _draws;
    private readonly List<SubmittedAnswer> _answers = [];
    private readonly Lock _lock = new();
    private readonly Action<string> _progress;
    private int _submitted;

    private SimulationRun(SimulationServer server, Scenario scenario, ScenarioSize size, Action<string> progress)
    {
        _server = server;
        _scenario = scenario;
        _items = SimItems.Generate(scenario, size);
        _byPrompt = _items.ToDictionary(i => i.Prompt, StringComparer.Ordinal);
        _draws = new ReadingDraws(scenario.Seed, _items.Count);
        _progress = progress;
    }

    private sealed class Worker(SimAnnotator annotator, string pseudonym, HttpClient client)
    {
        public SimAnnotator Annotator { get; } = annotator;
        public string Pseudonym { get; } = pseudonym;
        public HttpClient Client { get; } = client;
        public Random Random { get; } = new(HashCode.Combine(annotator.Index, 7919));
        public HashSet<int> Seen { get; } = [];
        public int Done { get; set; }
        public bool Finished { get; set; }
        public JsonElement? Task { get; set; }
    }

    /// <summary>Runs <paramref name="scenario"/> on a fresh server (or in <paramref name="db"/>) and returns what it produced.</summary>
    public static async Task<RunResult> RunAsync(Scenario scenario, ScenarioSize size, string? db, Action<string> progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var server = await SimulationServer.StartAsync(db, scenario.Seed);
        var run = new SimulationRun(server, scenario, size, progress);
        var result = await run.RunAsync(cancellationToken);
        return result with { Seconds = clock.Elapsed.TotalSeconds };
    }

    private async Task<RunResult> RunAsync(CancellationToken cancellationToken)
    {
        // Names are unique per run, so runs can share one database.
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (_, ownerToken) = await _server.AddUserAsync($"sim-{tag}-requester", "requester");
        using var owner = _server.Client(ownerToken);
        var projectId = await CreateProjectAsync(owner, tag, cancellationToken);
        await ImportAsync(owner, projectId, cancellationToken);

        var workers = new List<Worker>();
        foreach (var annotator in Behaviours.Crowd(_scenario))
        {
            var (pseudonym, token) = await _server.AddUserAsync($"sim-{tag}-{annotator.Name}", "annotator");
            workers.Add(new Worker(annotator, pseudonym, _server.Client(token)));
        }

        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
            var reporting = ReportProgressAsync(timer);
            for (var round = 0; round < MaxRounds; round++)
            {
                var before = Volatile.Read(ref _submitted);
                foreach (var worker in workers)
                    worker.Finished = false;
                var loops = workers.Where(w => w.Annotator.Group is null).Select(w => LoopAsync([w], projectId, cancellationToken))
                    .Concat(workers.Where(w => w.Annotator.Group is not null).GroupBy(w => w.Annotator.Group).Select(g => LoopAsync([.. g], projectId, cancellationToken)));
                await Task.WhenAll(loops);
                // Reading the standing makes the server measure again; work it reopens after judging is done next round.
                using (await owner.GetAsync(new Uri($"api/v1/projects/{projectId}/annotators", UriKind.Relative), cancellationToken))
                {
                }

                if (round > 0 && Volatile.Read(ref _submitted) == before)
                    break;
            }

            timer.Dispose();
            await reporting;
            return await ResultAsync(owner, projectId, workers, cancellationToken);
        }
        finally
        {
            foreach (var worker in workers)
                worker.Client.Dispose();
        }
    }

    private async Task ReportProgressAsync(PeriodicTimer timer)
    {
        while (await timer.WaitForNextTickAsync())
            _progress($"{_scenario.Name}: {Volatile.Read(ref _submitted)} answers so far");
    }

    private async Task<Guid> CreateProjectAsync(HttpClient owner, string tag, CancellationToken cancellationToken)
    {
        var body = _scenario.Project?.DeepClone().AsObject() ?? [];
        body["name"] = $"{_scenario.Name} ({tag})";
        body["kind"] = "pairwise";
        using var response = await owner.PostAsync(
            new Uri("api/v1/projects", UriKind.Relative), new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken);
        using var created = await ReadAsync(response, "create the project", cancellationToken);
        return created.RootElement.GetProperty("id").GetGuid();
    }

    private async Task ImportAsync(HttpClient owner, Guid projectId, CancellationToken cancellationToken)
    {
        var lines = string.Join('\n', _items.Select(i => i.ImportLine(_scenario.Metadata)));
        using var response = await owner.PostAsync(
            new Uri($"api/v1/projects/{projectId}/items", UriKind.Relative), new StringContent(lines, Encoding.UTF8, "application/jsonl"), cancellationToken);
        using var _ = await ReadAsync(response, "import the items", cancellationToken);
    }

    /// <summary>
    /// Works through the project until the server has nothing left for anyone in <paramref name="group"/>. A colluding
    /// group moves in lockstep: every member asks for work, then every member answers, so their leases and submissions
    /// fall together (and, served in the same order, they often land on the same items).
    /// </summary>
    private async Task LoopAsync(Worker[] group, Guid projectId, CancellationToken cancellationToken)
    {
        while (group.Any(w => !w.Finished))
        {
            foreach (var worker in group.Where(w => !w.Finished))
                await LeaseAsync(worker, projectId, cancellationToken);
            foreach (var worker in group.Where(w => w.Task is not null))
                await SubmitAsync(worker, cancellationToken);
        }
    }

    private static async Task LeaseAsync(Worker worker, Guid projectId, CancellationToken cancellationToken)
    {
        using var next = await worker.Client.GetAsync(new Uri($"api/v1/projects/{projectId}/next", UriKind.Relative), cancellationToken);
        // 403: the server removed this annotator; either way there is no more work for it.
        if (next.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.Forbidden)
        {
            worker.Finished = true;
            worker.Task = null;
            return;
        }

        using var task = await ReadAsync(next, $"{worker.Annotator.Name}: get the next task", cancellationToken);
        worker.Task = task.RootElement.Clone();
    }

    private async Task SubmitAsync(Worker worker, CancellationToken cancellationToken)
    {
        var task = worker.Task!.Value;
        worker.Task = null;
        var item = task.GetProperty("item");
        var prompt = item.GetProperty("prompt").GetString()!;
        var simItem = _byPrompt.TryGetValue(prompt, out var found) ? found
            : throw new InvalidOperationException($"{worker.Annotator.Name} was served a prompt the simulator did not import: {prompt}");
        var shown = item.GetProperty("responses").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();

        var choice = Behaviours.Choose(worker.Annotator, new SimTask(simItem, shown, worker.Done), () => _draws.Next(simItem.Index), worker.Random);
        var rationale = Rationales.Write(worker.Annotator, simItem, choice, worker.Random);
        using var submitted = await worker.Client.PostAsJsonAsync(
            new Uri($"api/v1/assignments/{task.GetProperty("assignmentId").GetGuid()}/submit", UriKind.Relative),
            new { choice, strength = 2, rationale, idempotencyKey = Guid.NewGuid().ToString("N") },
            cancellationToken);
        if (submitted.StatusCode == HttpStatusCode.Forbidden)
        {
            worker.Finished = true;
            return;
        }

        using var _ = await ReadAsync(submitted, $"{worker.Annotator.Name}: submit", cancellationToken);
        worker.Done++;
        Interlocked.Increment(ref _submitted);
        // A repeat of an item already answered measures consistency; the majority vote counts the first answer only.
        if (worker.Seen.Add(simItem.Index))
        {
            lock (_lock)
                _answers.Add(new SubmittedAnswer(worker.Annotator.Index, simItem.Index, choice));
        }
    }

    private async Task<RunResult> ResultAsync(HttpClient owner, Guid projectId, List<Worker> workers, CancellationToken cancellationToken)
    {
        // The standing first: it re-measures what is stale, and the export then uses the labels that follow from it.
        using var listed = await owner.GetAsync(new Uri($"api/v1/projects/{projectId}/annotators", UriKind.Relative), cancellationToken);
        using var standing = await ReadAsync(listed, "read the annotators", cancellationToken);
        var reports = standing.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("annotator").GetString()!, StringComparer.Ordinal);

        using var export = await owner.GetAsync(new Uri($"api/v1/projects/{projectId}/export?format=preference", UriKind.Relative), cancellationToken);
        var text = await export.Content.ReadAsStringAsync(cancellationToken);
        if (!export.IsSuccessStatusCode)
            throw new InvalidOperationException($"export answered {(int)export.StatusCode}: {text}");
        var records = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var record = JsonDocument.Parse(line);
            return new ExportedChoice(record.RootElement.GetProperty("externalId").GetString()!, record.RootElement.GetProperty("chosenId").GetString()!);
        }).ToList();

        var judged = workers.Select(w => reports.TryGetValue(w.Pseudonym, out var r)
            ? new JudgedAnnotator(w.Annotator, w.Pseudonym, w.Done, r.GetProperty("trust").GetDouble(), r.GetProperty("status").GetString()!,
                [.. r.GetProperty("flags").EnumerateArray().Select(f => f.GetProperty("name").GetString()!)])
            : new JudgedAnnotator(w.Annotator, w.Pseudonym, w.Done, null, QualityRules.Active, [])).ToList();
        var goldLabels = _answers.Count(a => _items[a.Item].IsGold);
        return new RunResult(
            PoisonedShares.OfExport(_items, records),
            PoisonedShares.OfMajority(_items, _answers),
            _submitted - goldLabels,
            goldLabels,
            judged,
            0);
    }

    private static async Task<JsonDocument> ReadAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{what}: the server answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }
}
