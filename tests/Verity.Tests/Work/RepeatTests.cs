using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Work;

public sealed class RepeatTests
{
    [Theory]
    [Databases]
    public async Task an_answered_item_comes_back_once_after_the_delay_and_never_counts_as_a_label(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(new
        {
            name = "repeats",
            kind = "pairwise",
            overlap = 1,
            rationale = new { required = false, minChars = 0 },
            repeats = new { rate = 0.5, delayMinutes = 60 },
        });
        (await requester.ImportAsync(projectId, Enumerable.Range(1, 30).Select(i => Api.ItemLine($"q{i}")))).EnsureSuccessStatusCode();
        var (_, client) = await server.AddUserAsync("ann", Roles.Annotator);

        // Within the delay nothing can repeat.
        for (var i = 0; i < 10; i++)
        {
            var task = (await client.NextAsync(projectId)).ShouldNotBeNull();
            (await client.SubmitAsync(task.AssignmentId(), "a")).EnsureSuccessStatusCode();
        }

        (await server.QueryAsync(db => db.Assignments.CountAsync(a => a.IsRepeat))).ShouldBe(0);
        server.Clock.Advance(TimeSpan.FromMinutes(61));
        while (await client.NextAsync(projectId) is { } task)
            (await client.SubmitAsync(task.AssignmentId(), "b")).EnsureSuccessStatusCode();

        var assignments = await server.QueryAsync(db => db.Assignments.AsNoTracking().ToListAsync());
        var repeats = assignments.Where(a => a.IsRepeat).ToList();
        repeats.Count.ShouldBeInRange(1, 10, "only the ten answered before the delay can come back, each once");
        repeats.ShouldAllBe(r => assignments.Any(a => !a.IsRepeat && a.ItemId == r.ItemId && a.SubmittedAt <= r.LeasedAt.AddMinutes(-60)));
        repeats.GroupBy(r => r.ItemId).ShouldAllBe(g => g.Count() == 1);
        assignments.Count(a => !a.IsRepeat).ShouldBe(30, "every real item was still served once");
        (await server.QueryAsync(db => db.Items.SumAsync(i => i.SubmittedCount))).ShouldBe(30, "repeats do not count toward overlap");

        var preference = (await requester.GetStringAsync($"/api/v1/projects/{projectId}/export?format=preference"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        preference.Count.ShouldBe(30);
        preference.ShouldAllBe(r => r.GetProperty("annotators").GetInt32() == 1, "a repeat is never a second label");
        var raw = (await requester.GetStringAsync($"/api/v1/projects/{projectId}/export?format=annotations")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        raw.Count(l => JsonDocument.Parse(l).RootElement.GetProperty("repeat").GetBoolean()).ShouldBe(repeats.Count);
    }
}
