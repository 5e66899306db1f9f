using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Security;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Security;

/// <summary>Issue 11, item 8: the audit log is append-only in the database and readable by admins only.</summary>
public sealed class AuditLogTests
{
    [Theory]
    [Databases]
    public async Task the_database_refuses_to_update_or_delete_an_audit_event(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        (await requester.PostAsJsonAsync("/api/v1/tokens", new { name = "ci" })).StatusCode.ShouldBe(HttpStatusCode.Created);

        await using var db = server.Database.CreateContext();
        (await db.AuditEvents.CountAsync()).ShouldBe(1);
        await Should.ThrowAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE audit_events SET kind = 'nothing'"));
        await Should.ThrowAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM audit_events"));
        (await db.AuditEvents.SingleAsync()).Kind.ShouldBe(AuditKinds.TokenIssued);
    }

    [Theory]
    [Databases]
    public async Task admins_list_and_export_the_log_and_nobody_else_reads_it(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, admin) = await server.AddUserAsync("root", Roles.Admin);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync();
        (await requester.GetAsync($"/api/v1/projects/{projectId}/export?format=annotations")).EnsureSuccessStatusCode();
        (await requester.PostAsJsonAsync("/api/v1/tokens", new { name = "<script>alert(1)</script>" })).EnsureSuccessStatusCode();

        (await requester.GetAsync("/api/v1/audit-log")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit-log?limit=10");
        listed.EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ShouldBe([AuditKinds.TokenIssued, AuditKinds.Exported, AuditKinds.ProjectCreated], "newest first");
        listed[1].GetProperty("projectId").GetGuid().ShouldBe(projectId);
        listed[1].GetProperty("actor").GetString().ShouldBe("req");

        var export = await admin.GetStringAsync("/api/v1/audit-log/export");
        var lines = export.TrimEnd('\n').Split('\n');
        lines.Length.ShouldBe(3);
        JsonDocument.Parse(lines[0]).RootElement.GetProperty("kind").GetString().ShouldBe(AuditKinds.ProjectCreated);
        (await admin.GetAsync("/api/v1/audit-log?limit=0")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
