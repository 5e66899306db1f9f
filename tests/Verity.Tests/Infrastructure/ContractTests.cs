using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Tests.Infrastructure;

public sealed class ContractTests
{
    [Fact]
    public async Task every_endpoint_and_page_declares_who_may_use_it()
    {
        await using var app = VerityApp.Build(DatabaseTarget.Parse("sqlite::memory:"), "http://127.0.0.1:0");
        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().ToList();

        endpoints.Count.ShouldBeGreaterThan(10);
        var undeclared = endpoints
            .Where(e => e.Metadata.GetMetadata<IAuthorizeData>() is null && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Select(e => e.RoutePattern.RawText)
            .ToList();
        undeclared.ShouldBeEmpty();

        // Only the named policies: no inline role lists, no bare [Authorize] that would admit any signed-in user unseen.
        var unnamed = endpoints
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Where(e => e.Metadata.OfType<AuthorizationPolicy>().Any()
                || e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Roles is not null || !Policies.All.Contains(a.Policy)))
            .Select(e => e.RoutePattern.RawText ?? e.DisplayName)
            .ToList();
        unnamed.ShouldBeEmpty();
    }

    [Fact]
    public async Task the_openapi_document_describes_the_api()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var document = await server.Client().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/projects", "/api/v1/projects/{id}/items", "/api/v1/projects/{id}/next", "/api/v1/assignments/{id}/submit", "/api/v1/projects/{id}/export",
            "/api/v1/projects/{id}/annotators/{pseudonym}/quarantine", "/api/v1/projects/{id}/annotators/{pseudonym}/influence", "/api/v1/projects/{id}/audit" })
            paths.TryGetProperty(path, out _).ShouldBeTrue(path);

        // The rubric's schema is part of the document, not an opaque object.
        var rubric = document.GetProperty("components").GetProperty("schemas").GetProperty("Rubric").GetProperty("properties");
        foreach (var property in new[] { "dimensions", "labels", "multiLabel", "allowOther", "allowTies", "minChars", "flags" })
            rubric.TryGetProperty(property, out _).ShouldBeTrue(property);
    }

    [Fact]
    public async Task errors_are_problem_details()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, annotator) = await server.AddUserAsync("ann", Roles.Annotator);
        var missing = await annotator.GetAsync($"/api/v1/projects/{Guid.NewGuid()}/next");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        missing.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await missing.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("status").GetInt32().ShouldBe(404);
        problem.GetProperty("detail").GetString()!.ShouldContain("does not exist");

        var malformed = await annotator.PostAsync($"/api/v1/assignments/{Guid.NewGuid()}/submit",
            new StringContent("{\"choice\": ", System.Text.Encoding.UTF8, "application/json"));
        malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        malformed.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        StatusCodes.Status400BadRequest.ShouldBe((int)malformed.StatusCode);
    }
}
