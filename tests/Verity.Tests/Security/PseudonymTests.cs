using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Security;

/// <summary>
/// Issue 11, item 7: a requester who sees two projects cannot tell that one person worked on both, nor what role a
/// pseudonym belongs to; the pseudonym an owner passes back names someone only in the project it came from.
/// </summary>
public sealed class PseudonymTests
{
    [Theory]
    [Databases]
    public async Task one_person_has_unlinkable_pseudonyms_in_two_projects_and_each_works_only_in_its_own(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var (annotator, client) = await server.AddUserAsync("ann", Roles.Annotator);
        var first = await requester.CreateProjectAsync("First", overlap: 1);
        var second = await requester.CreateProjectAsync("Second", overlap: 1);
        foreach (var projectId in new[] { first, second })
        {
            (await requester.ImportAsync(projectId, [Api.ItemLine("q1"), Api.ItemLine("q2")])).EnsureSuccessStatusCode();
            var task = (await client.NextAsync(projectId)).ShouldNotBeNull();
            (await client.SubmitAsync(task.AssignmentId(), "a")).EnsureSuccessStatusCode();
        }

        // What the owner sees: the quality report and the export of each project.
        async Task<string> SeenAsync(Guid projectId)
        {
            var reported = (await requester.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{projectId}/annotators"))!.ShouldHaveSingleItem().GetProperty("annotator").GetString()!;
            var exported = JsonDocument.Parse((await requester.GetStringAsync($"/api/v1/projects/{projectId}/export?format=annotations")).Split('\n')[0])
                .RootElement.GetProperty("annotator").GetString();
            exported.ShouldBe(reported, "the report and the export name the person alike");
            return reported;
        }

        var inFirst = await SeenAsync(first);
        var inSecond = await SeenAsync(second);
        inFirst.ShouldNotBe(inSecond);
        foreach (var pseudonym in new[] { inFirst, inSecond })
        {
            pseudonym.ShouldMatch("^p-[0-9a-f]{12}$", "the prefix says nothing of the role");
            pseudonym.ShouldNotContain(annotator.Pseudonym);
        }

        // The owner chooses an item for the person by the project's pseudonym; another project's names nobody here.
        var chosen = await requester.GetAsync($"/api/v1/projects/{first}/next?externalId=q2&annotator={inFirst}");
        chosen.StatusCode.ShouldBe(HttpStatusCode.OK, await chosen.Content.ReadAsStringAsync());
        var assignment = (await chosen.Content.ReadFromJsonAsync<JsonElement>()).AssignmentId();
        (await server.QueryAsync(db => db.Assignments.SingleAsync(a => a.Id == assignment))).AnnotatorId.ShouldBe(annotator.Id);
        foreach (var wrong in new[] { inFirst, annotator.Pseudonym })
        {
            var refused = await requester.GetAsync($"/api/v1/projects/{second}/next?externalId=q2&annotator={wrong}");
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("annotator")[0].GetString()!.ShouldContain("no annotator in this project");
        }
        (await requester.PostAsJsonAsync($"/api/v1/projects/{second}/annotators/{inFirst}/quarantine", new { reason = "Copied answers." }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound, "a pseudonym from another project names nobody here");

        // The names hold on another node of the same database (and so after a restart): the secret is in the database.
        await using var node = await server.StartNodeAsync();
        var other = node.Client();
        other.DefaultRequestHeaders.Authorization = requester.DefaultRequestHeaders.Authorization;
        (await other.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{second}/annotators"))!.ShouldHaveSingleItem().GetProperty("annotator").GetString().ShouldBe(inSecond);
        (await other.GetAsync($"/api/v1/projects/{second}/next?externalId=q2&annotator={inSecond}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
