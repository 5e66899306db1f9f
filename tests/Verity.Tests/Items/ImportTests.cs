using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Items;

public sealed class ImportTests
{
    [Theory]
    [Databases]
    public async Task a_file_with_bad_lines_is_rejected_whole_with_each_line_and_field_named(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync();

        var response = await requester.ImportAsync(projectId,
        [
            Api.ItemLine("ok-1"),
            """{"externalId":"no-prompt","responses":[{"id":"a","text":"x"},{"id":"b","text":"y"}]}""",
            """{"externalId":"three","prompt":"p","responses":[{"id":"a","text":"x"},{"id":"b","text":"y"},{"id":"c","text":"z"}]}""",
            Api.ItemLine("ok-1"),
            """{"externalId":"typo","prompt":"p","respones":[]}""",
            "not json at all",
            """{"externalId":"dup-ids","prompt":"p","responses":[{"id":"a","text":"x"},{"id":"a","text":""}]}""",
        ]);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        string Line(int n) => string.Join(" | ", errors.GetProperty($"line {n}").EnumerateArray().Select(e => e.GetString()));
        errors.TryGetProperty("line 1", out _).ShouldBeFalse();
        Line(2).ShouldContain("prompt: is required");
        Line(3).ShouldContain("exactly 2 responses, found 3");
        Line(4).ShouldContain("\"ok-1\" already appears on line 1");
        Line(5).ShouldContain("respones: unknown field");
        Line(5).ShouldContain("responses: is required");
        Line(6).ShouldContain("not valid JSON");
        Line(7).ShouldContain("responses[1].id: \"a\" appears twice");
        Line(7).ShouldContain("responses[1].text: must not be empty");

        (await server.QueryAsync(db => db.Items.CountAsync())).ShouldBe(0, "nothing is half-written");
    }

    [Theory]
    [Databases]
    public async Task an_external_id_already_in_the_project_is_an_error(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync();
        (await requester.ImportAsync(projectId, [Api.ItemLine("q1")])).EnsureSuccessStatusCode();

        var again = await requester.ImportAsync(projectId, [Api.ItemLine("q2"), Api.ItemLine("q1")]);
        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.GetProperty("line 2")[0].GetString().ShouldBe("externalId: \"q1\" is already in this project");
        (await server.QueryAsync(db => db.Items.Select(i => i.ExternalId).ToListAsync())).ShouldBe(["q1"]);
    }

    [Fact]
    public async Task an_empty_file_is_an_error()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync();
        var response = await requester.ImportAsync(projectId, ["", "  "]);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("contains no items");
    }

    [Fact]
    public async Task the_readmes_curl_import_works_and_a_body_without_a_content_type_is_jsonl()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, requester) = await server.AddUserAsync("alice", Roles.Requester);
        var projectId = await requester.CreateProjectAsync();

        // As the README's curl sends it.
        using var readme = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(Api.ItemLine("q1") + "\n"));
        readme.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/jsonl");
        (await requester.PostAsync($"/api/v1/projects/{projectId}/items", readme)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var bare = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(Api.ItemLine("q2") + "\n"));
        bare.Headers.ContentType.ShouldBeNull();
        var response = await requester.PostAsync($"/api/v1/projects/{projectId}/items", bare);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("imported").GetInt32().ShouldBe(1);

        // curl's default without -H is a form: refused before anything is read.
        using var form = new StringContent(Api.ItemLine("q3"), System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        (await requester.PostAsync($"/api/v1/projects/{projectId}/items", form)).StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await server.QueryAsync(db => db.Items.CountAsync())).ShouldBe(2);
    }
}
