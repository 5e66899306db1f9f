using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Workforce;

/// <summary>A running server with an operator, a project and its items: the stage the pay tests work on.</summary>
internal sealed record PayWorld(VerityServer Server, HttpClient Admin, Guid ProjectId) : IAsyncDisposable
{
    public static async Task<PayWorld> StartAsync(
        DatabaseProvider provider, object? pay = null, int items = 6, int leaseMinutes = 15, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var server = await VerityServer.StartAsync(provider, leaseMinutes: leaseMinutes, settings: settings);
        var (_, admin) = await server.AddUserAsync("operator", Roles.Admin);
        var projectId = await admin.CreateProjectAsync(new
        {
            name = "Helpfulness",
            kind = "pairwise",
            overlap = 3,
            guidelines = "Pick the better response.",
            rationale = new { required = false, minChars = 0 },
            gold = new { rate = 0.0 },
            pay,
        });
        (await admin.ImportAsync(projectId, Enumerable.Range(1, items).Select(i => Api.ItemLine($"i{i}")))).StatusCode.ShouldBe(HttpStatusCode.OK);
        return new PayWorld(server, admin, projectId);
    }

    /// <summary>Leases the next task, lets <paramref name="held"/> pass on the clock, and submits it through the API.</summary>
    public async Task<Guid> WorkAsync(HttpClient annotator, TimeSpan held)
    {
        var task = (await annotator.NextAsync(ProjectId))!.Value;
        Server.Clock.Advance(held);
        var response = await annotator.SubmitAsync(task.AssignmentId(), "a");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("annotationId").GetGuid();
    }

    public Task<LedgerEntry> TimeEntryAsync(Guid annotationId) =>
        Server.QueryAsync(db => db.LedgerEntries.SingleAsync(e => e.AnnotationId == annotationId));

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
