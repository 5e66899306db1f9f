using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Verity.LoadBench;

/// <summary>
/// One annotator working through the API: next, a pause to think (uniform between half and one and a half times
/// <paramref name="thinkMilliseconds"/>, none by default), submit, until the server answers 204, or for
/// <paramref name="seconds"/> (answers the quality rules do not count make a project ask for more, so it may not end).
/// </summary>
internal sealed class Annotator(HttpClient client, Guid projectId, int index, int thinkMilliseconds = 0, int? seconds = null)
{
    private const string Rationale = "The chosen argument gives a concrete reason and evidence; the other only states an opinion.";
    private static readonly string[] Choices = ["a", "b", "tie"];

    public Latencies Next { get; } = new();
    public Latencies Submit { get; } = new();
    public int Submitted { get; private set; }

    /// <summary>Why this annotator stopped early, or null when it ran until nothing was left.</summary>
    public string? Failure { get; private set; }

    public async Task RunAsync()
    {
        var random = new Random(index);
        var deadline = seconds is { } s ? Stopwatch.GetTimestamp() + (s * Stopwatch.Frequency) : long.MaxValue;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            // The clock runs until the body is read: that is when an annotator could show the task.
            var start = Stopwatch.GetTimestamp();
            using var next = await client.GetAsync(new Uri($"api/v1/projects/{projectId}/next", UriKind.Relative));
            if (next.StatusCode == HttpStatusCode.NoContent)
            {
                Next.Add(Stopwatch.GetElapsedTime(start));
                return;
            }

            var body = await next.Content.ReadAsStringAsync();
            Next.Add(Stopwatch.GetElapsedTime(start));
            if (next.StatusCode != HttpStatusCode.OK)
            {
                Failure = $"annotator {index}: next answered {(int)next.StatusCode}: {body}";
                return;
            }

            using var task = JsonDocument.Parse(body);
            var assignmentId = task.RootElement.GetProperty("assignmentId").GetGuid();
            var choice = Choices[random.Next(Choices.Length)];
            if (thinkMilliseconds > 0)
                await Task.Delay(TimeSpan.FromMilliseconds(thinkMilliseconds * (0.5 + random.NextDouble())));
            start = Stopwatch.GetTimestamp();
            using var submit = await client.PostAsJsonAsync(new Uri($"api/v1/assignments/{assignmentId}/submit", UriKind.Relative), new
            {
                choice,
                strength = choice == "tie" ? (int?)null : random.Next(1, 4),
                rationale = Rationale,
                idempotencyKey = Guid.NewGuid().ToString("N"),
            });
            var answer = await submit.Content.ReadAsStringAsync();
            Submit.Add(Stopwatch.GetElapsedTime(start));

            // Stopping is the only safe reaction: the open lease would be handed back by every later next.
            if (submit.StatusCode != HttpStatusCode.OK)
            {
                Failure = $"annotator {index}: submit answered {(int)submit.StatusCode}: {answer}";
                return;
            }

            Submitted++;
        }
    }
}
