using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Verity.Core.Quality;
using Verity.Core.Simulation;

namespace Verity.Simulation;

/// <summary>
/// One run of a scenario against a started server, through the public API only: the requester creates the project
/// and imports the items; the annotators work (<c>next</c>, <c>submit</c>) until nothing is left; then the requester
/// reads the annotators' standing and the preference export.
/// </summary>
/// <remarks>
/// The crowd works concurrently in simulated time: each annotator holds its lease for a think time before answering,
/// so leases overlap as they do with people, and colluders lease and answer at the same moments. Requests are sent
/// one at a time in simulated-time order, so a run replays exactly: the attacked run and its honest-crowd baseline
/// serve the same items to the same annotators until the adversaries' answers (or the server's reaction to them) make
/// them differ, and the comparison measures the attack rather than the luck of scheduling. The server's clock is the
/// simulated one, so the time on task it records is the think time, however busy the machine is.
/// </remarks>
internal sealed class SimulationRun
{
    /// <summary>Rounds of "work until nothing is left, then let the server re-measure": a defence may reopen items.</summary>
    private const int MaxRounds = 5;

    /// <summary>
    /// The requester reads the standing every this many answers, which makes the server measure the crowd at the same
    /// points in every run (the timed background pass is off, because its moments would differ between runs).
    /// </summary>
    private const int MeasureEvery = 100;

    private readonly SimulationServer _server;
    private readonly Scenario _scenario;
    private readonly IReadOnlyList<SimItem> _items;
    private readonly Dictionary<string, SimItem> _byPrompt;
    private readonly List<SubmittedAnswer> _answers = [];
    private readonly Action<string> _progress;
    private int _submitted;

    private SimulationRun(SimulationServer server, Scenario scenario, ScenarioSize size, Action<string> progress)
    {
        _server = server;
        _scenario = scenario;
        _items = SimItems.Generate(scenario, size);
        _byPrompt = _items.ToDictionary(i => i.Prompt, StringComparer.Ordinal);
        _progress = progress;
    }

    private sealed class Worker(SimAnnotator annotator, string pseudonym, HttpClient client, int seed)
    {
        public SimAnnotator Annotator { get; } = annotator;
        public string Pseudonym { get; } = pseudonym;
        public HttpClient Client { get; } = client;

        /// <summary>Draws for choices that do not depend on skill (a spammer's click).</summary>
        public Random Choices { get; } = new(Luck.Seed(seed, annotator.Index, 1));

        /// <summary>
        /// Think times: a colluding group shares one sequence, so its members move together; the draws do not depend
        /// on the behaviour, so the honest-crowd baseline keeps the same schedule.
        /// </summary>
        public Random Timing { get; } = new(annotator.Group is { } group ? Luck.Seed(seed, group, 2) : Luck.Seed(seed, annotator.Index, 3));

        public HashSet<int> Seen { get; } = [];
        public int Done { get; set; }
        public bool Removed { get; set; }
        public JsonElement? Lease { get; set; }

        /// <summary>Seconds a person would spend on one task: 20 to 60.</summary>
        public double Think() => 20 + (40 * Timing.NextDouble());
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
        // Names are unique per run, so runs can share one database, and the same in every run on a fresh one: the server
        // draws each annotator's share of the gold pool from their name.
        var tag = await _server.FreeTagAsync($"{_scenario.Seed}");
        var (_, ownerToken) = await _server.AddUserAsync($"sim-{tag}-requester", "requester");
        using var owner = _server.Client(ownerToken);
        var projectId = await CreateProjectAsync(owner, tag, cancellationToken);
        await ImportAsync(owner, projectId, cancellationToken);

        var workers = new List<Worker>();
        foreach (var annotator in Behaviours.Crowd(_scenario))
        {
            // By position, not behaviour: an adversary and its honest stand-in in the baseline get the same account name.
            var (id, token) = await _server.AddUserAsync($"sim-{tag}-{annotator.Index + 1:00}", "annotator");
            workers.Add(new Worker(annotator, await _server.PseudonymAsync(projectId, id), _server.Client(token), _scenario.Seed));
        }

        try
        {
            var progress = Stopwatch.StartNew();
            var now = 0.0;
            for (var round = 0; round < MaxRounds; round++)
            {
                var before = _submitted;
                var queue = new PriorityQueue<Worker, (double Time, int Index)>();
                foreach (var worker in workers.Where(w => !w.Removed))
                    queue.Enqueue(worker, (now + (round == 0 ? worker.Think() / 2 : 0), worker.Annotator.Index));
                while (queue.TryDequeue(out var worker, out var at))
                {
                    now = at.Time;
                    _server.Clock.Set(now);
                    if (worker.Lease is null)
                    {
                        if (await LeaseAsync(worker, projectId, cancellationToken))
                            queue.Enqueue(worker, (now + worker.Think(), at.Index));
                        continue;
                    }

                    await SubmitAsync(worker, cancellationToken);
                    if (!worker.Removed)
                        queue.Enqueue(worker, at);
                    if (_submitted % MeasureEvery == 0)
                        await MeasureAsync(owner, projectId, cancellationToken);
                    if (progress.Elapsed > TimeSpan.FromSeconds(5))
                    {
                        _progress($"{_scenario.Name}: {_submitted} answers so far");
                        progress.Restart();
                    }
                }

                // Work the server reopens once it has judged the crowd is done in the next round.
                await MeasureAsync(owner, projectId, cancellationToken);
                if (_submitted == before)
                    break;
            }

            return await ResultAsync(owner, projectId, workers, cancellationToken);
        }
        finally
        {
            foreach (var worker in workers)
                worker.Client.Dispose();
        }
    }

    /// <summary>Reading the standing makes the server measure what changed since it last did.</summary>
    private static async Task MeasureAsync(HttpClient owner, Guid projectId, CancellationToken cancellationToken)
    {
        using var response = await owner.GetAsync(new Uri($"api/v1/projects/{projectId}/annotators", UriKind.Relative), cancellationToken);
        using var _ = await ReadAsync(response, "read the annotators", cancellationToken);
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

    /// <summary>
    /// One item per request, a millisecond apart: the server serves items in the order of their time-ordered ids, and
    /// ids made in the same millisecond fall in random order, which would make two runs serve items differently.
    /// </summary>
    private async Task ImportAsync(HttpClient owner, Guid projectId, CancellationToken cancellationToken)
    {
        foreach (var item in _items)
        {
            using var response = await owner.PostAsync(
                new Uri($"api/v1/projects/{projectId}/items", UriKind.Relative),
                new StringContent(item.ImportLine(_scenario.Metadata), Encoding.UTF8, "application/jsonl"),
                cancellationToken);
            using var _ = await ReadAsync(response, "import the items", cancellationToken);
            await Task.Delay(1, cancellationToken);
        }
    }

    /// <summary>Leases the worker's next task; false when the server has nothing (left) for it.</summary>
    private static async Task<bool> LeaseAsync(Worker worker, Guid projectId, CancellationToken cancellationToken)
    {
        using var next = await worker.Client.GetAsync(new Uri($"api/v1/projects/{projectId}/next", UriKind.Relative), cancellationToken);
        if (next.StatusCode == HttpStatusCode.NoContent)
            return false;
        // The server removed this annotator from the project.
        if (next.StatusCode == HttpStatusCode.Forbidden)
        {
            worker.Removed = true;
            return false;
        }

        using var task = await ReadAsync(next, $"{worker.Annotator.Name}: get the next task", cancellationToken);
        worker.Lease = task.RootElement.Clone();
        return true;
    }

    private async Task SubmitAsync(Worker worker, CancellationToken cancellationToken)
    {
        var task = worker.Lease!.Value;
        worker.Lease = null;
        var item = task.GetProperty("item");
        var prompt = item.GetProperty("prompt").GetString()!;
        var simItem = _byPrompt.TryGetValue(prompt, out var found) ? found
            : throw new InvalidOperationException($"{worker.Annotator.Name} was served a prompt the simulator did not import: {prompt}");
        var shown = item.GetProperty("responses").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();

        var annotator = worker.Annotator;
        var choice = Behaviours.Choose(annotator, new SimTask(simItem, shown, worker.Done),
            () => Luck.Draw(_scenario.Seed, simItem.Index, annotator.Index), worker.Choices);
        var rationale = Rationales.Write(annotator, simItem, choice, worker.Choices);
        using var submitted = await worker.Client.PostAsJsonAsync(
            new Uri($"api/v1/assignments/{task.GetProperty("assignmentId").GetGuid()}/submit", UriKind.Relative),
            new { choice, strength = 2, rationale, idempotencyKey = Guid.NewGuid().ToString("N") },
            cancellationToken);
        if (submitted.StatusCode == HttpStatusCode.Forbidden)
        {
            worker.Removed = true;
            return;
        }

        using var _ = await ReadAsync(submitted, $"{annotator.Name}: submit", cancellationToken);
        worker.Done++;
        _submitted++;
        // A repeat of an item already answered measures consistency; the majority vote counts the first answer only.
        if (worker.Seen.Add(simItem.Index))
            _answers.Add(new SubmittedAnswer(annotator.Index, simItem.Index, choice));
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
