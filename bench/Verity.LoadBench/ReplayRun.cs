using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Verity.LoadBench;

/// <summary>
/// The replay loops: each takes a judgement, has the project's owner lease exactly its pair to its worker
/// (<c>GET /projects/{id}/next?externalId=&amp;annotator=</c>; annotators may not choose), checks it was that pair, and
/// submits the worker's answer as the worker.
/// </summary>
internal sealed class ReplayRun(
    Guid projectId, HttpClient owner, Dictionary<string, UkpPair> pairs, Dictionary<string, (HttpClient Client, string Pseudonym)> clients, JudgementQueue queue)
{
    /// <summary>How often a refused judgement is asked for again before it counts as refused for good.</summary>
    private const int MaxAsks = 20;

    private readonly Lock _lock = new();
    private readonly Dictionary<UkpJudgement, int> _refusals = [];
    private int _submitted;
    private int _refused;

    public Latencies Next { get; } = new();
    public Latencies Submit { get; } = new();
    public int Submitted => _submitted;

    /// <summary>Judgements whose pair the server would not lease to their worker (204) in any of <see cref="MaxAsks"/> asks.</summary>
    public int Refused => _refused;

    /// <summary>Answers of 204 to a request for a pair, including those that were leased when asked again.</summary>
    public int Refusals { get; private set; }

    /// <summary>The first thing that went wrong; every loop stops once it is set.</summary>
    public string? Failure { get; private set; }

    public async Task LoopAsync()
    {
        var next = new Latencies();
        var submit = new Latencies();
        while (Failure is null)
        {
            var judgement = queue.Take(out var finished);
            if (finished)
                break;
            if (judgement is null)
            {
                // Every worker with judgements left is busy in another loop.
                await Task.Delay(2);
                continue;
            }

            var again = false;
            try
            {
                again = await ReplayAsync(judgement, next, submit);
                if (again)
                {
                    // On PostgreSQL a pair whose row another worker's lease or submission holds right now is skipped
                    // (SKIP LOCKED) and the answer is 204: the pair is busy, not closed, so it is asked for again later.
                    await Task.Delay(20);
                }
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                Fail($"{judgement.Worker} on {judgement.Pair}: {e.Message}");
            }
            finally
            {
                queue.Release(judgement.Worker, again ? judgement : null);
            }
        }

        lock (_lock)
        {
            Next.AddRange(next);
            Submit.AddRange(submit);
        }
    }

    /// <summary>Replays one judgement; true when the server refused its pair and it should be asked for again.</summary>
    private async Task<bool> ReplayAsync(UkpJudgement judgement, Latencies nextTimes, Latencies submitTimes)
    {
        var (client, pseudonym) = clients[judgement.Worker];
        var start = Stopwatch.GetTimestamp();
        using var next = await owner.GetAsync(new Uri(
            $"api/v1/projects/{projectId}/next?externalId={Uri.EscapeDataString(judgement.Pair)}&annotator={Uri.EscapeDataString(pseudonym)}", UriKind.Relative));
        if (next.StatusCode == HttpStatusCode.NoContent)
        {
            nextTimes.Add(Stopwatch.GetElapsedTime(start));
            lock (_lock)
            {
                Refusals++;
                var asks = _refusals[judgement] = _refusals.GetValueOrDefault(judgement) + 1;
                if (asks < MaxAsks)
                    return true;
                _refused++;
                return false;
            }
        }

        var body = await next.Content.ReadAsStringAsync();
        nextTimes.Add(Stopwatch.GetElapsedTime(start));
        if (next.StatusCode != HttpStatusCode.OK)
        {
            Fail($"{judgement.Worker} on {judgement.Pair}: next answered {(int)next.StatusCode}: {body}");
            return false;
        }

        // The task does not name its item, so the texts tell whether the server leased the pair asked for; a server
        // that ignored externalId would hand out some other pair and the replay would label the wrong one.
        using var task = JsonDocument.Parse(body);
        var texts = task.RootElement.GetProperty("item").GetProperty("responses").EnumerateArray()
            .ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("text").GetString()!.Trim(), StringComparer.Ordinal);
        var pair = pairs[judgement.Pair];
        if (texts.GetValueOrDefault("a1") != pair.First.Trim() || texts.GetValueOrDefault("a2") != pair.Second.Trim())
        {
            Fail($"{judgement.Worker} asked for {judgement.Pair} and was leased another item: does the server support next?externalId=?");
            return false;
        }

        var choice = UkpConvArg1.ToVerity(judgement.Label);
        var assignmentId = task.RootElement.GetProperty("assignmentId").GetGuid();
        start = Stopwatch.GetTimestamp();
        using var submitted = await client.PostAsJsonAsync(new Uri($"api/v1/assignments/{assignmentId}/submit", UriKind.Relative), new
        {
            choice,
            // The data records only which argument won, not by how much: "clearly better" for every choice.
            strength = choice == "tie" ? (int?)null : 2,
            rationale = judgement.Reason,
            idempotencyKey = Guid.NewGuid().ToString("N"),
        });
        var answer = await submitted.Content.ReadAsStringAsync();
        submitTimes.Add(Stopwatch.GetElapsedTime(start));
        if (submitted.StatusCode != HttpStatusCode.OK)
        {
            Fail($"{judgement.Worker} on {judgement.Pair}: submit answered {(int)submitted.StatusCode}: {answer}");
            return false;
        }

        Interlocked.Increment(ref _submitted);
        return false;
    }

    private void Fail(string failure)
    {
        lock (_lock)
            Failure ??= failure;
    }
}
