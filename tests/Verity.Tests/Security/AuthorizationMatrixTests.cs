using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Security;

/// <summary>
/// Every operation in /openapi/v1.json, called by every kind of caller, answers as the matrix below says. The matrix
/// is written here, apart from the policies, so a policy that admits too much or an endpoint with a policy the matrix
/// does not know fails this test.
/// </summary>
public sealed partial class AuthorizationMatrixTests
{
    /// <summary>The reviewer is assigned to the project; the other reviewer is not.</summary>
    private enum Caller { Anonymous, Annotator, Reviewer, OtherReviewer, Owner, OtherRequester, Admin }

    /// <summary>
    /// Who a policy admits, and whether it also needs the project in the route to be the caller's (a requester's own, a
    /// reviewer's assigned).
    /// </summary>
    private sealed record Rule(Caller[] Admits, bool ProjectScoped);

    private static readonly Caller[] Everyone = [Caller.Annotator, Caller.Reviewer, Caller.OtherReviewer, Caller.Owner, Caller.OtherRequester, Caller.Admin];
    private static readonly Caller[] Reviewers = [Caller.Reviewer, Caller.OtherReviewer];
    private static readonly Caller[] Requesters = [Caller.Owner, Caller.OtherRequester, Caller.Admin];

    private static readonly Dictionary<string, Rule> Matrix = new(StringComparer.Ordinal)
    {
        [Policies.SignedIn] = new(Everyone, ProjectScoped: false),
        [Policies.Annotate] = new([Caller.Annotator], ProjectScoped: false),
        [Policies.ManageProjects] = new(Requesters, ProjectScoped: false),
        [Policies.OwnProject] = new(Requesters, ProjectScoped: true),
        [Policies.ExportProject] = new(Requesters, ProjectScoped: true),
        [Policies.Review] = new([.. Reviewers, .. Requesters], ProjectScoped: false),
        [Policies.ReviewProject] = new([.. Reviewers, .. Requesters], ProjectScoped: true),
        [Policies.ReadProject] = new(Everyone, ProjectScoped: true),
        [Policies.NextTask] = new([Caller.Annotator], ProjectScoped: true),
        [Policies.Admin] = new([Caller.Admin], ProjectScoped: false),
    };

    [Fact]
    public async Task every_operation_admits_exactly_the_callers_its_policies_name()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var callers = new Dictionary<Caller, HttpClient> { [Caller.Anonymous] = server.Client() };
        foreach (var (caller, role) in new[]
        {
            (Caller.Annotator, Roles.Annotator), (Caller.Reviewer, Roles.Reviewer), (Caller.OtherReviewer, Roles.Reviewer),
            (Caller.Owner, Roles.Requester), (Caller.OtherRequester, Roles.Requester), (Caller.Admin, Roles.Admin),
        })
            callers[caller] = (await server.AddUserAsync(caller.ToString().ToLowerInvariant(), role)).Client;
        var projectId = await callers[Caller.Owner].CreateProjectAsync();
        await callers[Caller.Owner].AssignReviewerAsync(projectId, "reviewer");
        (await callers[Caller.Owner].ImportAsync(projectId, [Api.ItemLine("q1")])).EnsureSuccessStatusCode();

        var policies = await PoliciesByOperationAsync();
        var document = await callers[Caller.Anonymous].GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(o => HttpMethods.IsGet(o.Name) || HttpMethods.IsPost(o.Name) || HttpMethods.IsPut(o.Name) || HttpMethods.IsPatch(o.Name) || HttpMethods.IsDelete(o.Name))
                .Select(o => (Operation: $"{o.Name.ToUpperInvariant()} {path.Name}", Body: BodyType(o.Value))))
            .ToDictionary(o => o.Operation, o => o.Body, StringComparer.Ordinal);
        operations.Count.ShouldBeGreaterThan(30);

        var wrong = new List<string>();
        var calls = new List<(string Operation, Caller Caller, bool Admitted)>();
        foreach (var operation in operations.Keys)
        {
            if (!policies.TryGetValue(operation, out var names))
            {
                wrong.Add($"{operation}: in the OpenAPI document but no endpoint matches it");
                continue;
            }
            if (names.FirstOrDefault(n => !Matrix.ContainsKey(n)) is { } unknown)
            {
                wrong.Add($"{operation}: policy '{unknown}' has no row in the matrix");
                continue;
            }
            // An operation open to anyone (no policy) admits every caller, the anonymous one too.
            foreach (var caller in callers.Keys)
                calls.Add((operation, caller, names.All(n => Matrix[n].Admits.Contains(caller))));
        }

        // Refusals first: an admitted call may change state (a project archived, a token revoked) and a refusal may not.
        foreach (var (operation, caller, admitted) in calls.OrderBy(c => c.Admitted))
        {
            var names = policies[operation];
            using var response = await SendAsync(callers[caller], operation, operations[operation], projectId);
            var status = response.StatusCode;
            var body = await response.Content.ReadAsStringAsync();
            var refusedAsNotYours = status == HttpStatusCode.NotFound && body.Contains("is not yours", StringComparison.Ordinal) && body.Contains(projectId.ToString(), StringComparison.Ordinal);
            var expected = caller == Caller.Anonymous && names.Count > 0 ? "401"
                : !admitted ? "403"
                : caller is Caller.OtherRequester or Caller.OtherReviewer && operation.Contains("/projects/{id}", StringComparison.Ordinal) && names.Any(n => Matrix[n].ProjectScoped) ? "404 (not yours)"
                : "admitted";
            var actual = status == HttpStatusCode.Unauthorized ? "401"
                : status == HttpStatusCode.Forbidden ? "403"
                : refusedAsNotYours ? "404 (not yours)"
                : "admitted";
            if (expected != actual)
                wrong.Add($"{operation} as {caller}: expected {expected}, got {(int)status} {Shorten(body)}");
        }

        wrong.ShouldBeEmpty();
    }

    /// <summary>The policy names on each endpoint, keyed "METHOD /path" as the OpenAPI document writes them (no route constraints).</summary>
    private static async Task<Dictionary<string, List<string>>> PoliciesByOperationAsync()
    {
        await using var app = VerityApp.Build(DatabaseTarget.Parse("sqlite::memory:"), "http://127.0.0.1:0");
        var operations = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var endpoint in ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>())
        {
            var path = "/" + Constraint().Replace(endpoint.RoutePattern.RawText ?? "", "{${name}}").Trim('/');
            var names = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
                ? []
                : endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy!).Distinct().ToList();
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
                operations[$"{method} {path}"] = names;
        }
        return operations;
    }

    /// <summary>The first media type the operation's request body takes (the endpoint answers 415 to any other before authorization), or null.</summary>
    private static string? BodyType(JsonElement operation) =>
        operation.TryGetProperty("requestBody", out var body) ? body.GetProperty("content").EnumerateObject().First().Name : null;

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string operation, string? bodyType, Guid projectId)
    {
        var (method, path) = (operation[..operation.IndexOf(' ', StringComparison.Ordinal)], operation[(operation.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        var url = Parameter().Replace(path, m => m.Groups["name"].Value switch
        {
            "id" or "projectId" when path.StartsWith("/api/v1/projects/", StringComparison.Ordinal) => projectId.ToString(),
            "externalId" => "q1",
            "pseudonym" or "name" => "nobody",
            _ => Guid.NewGuid().ToString(),
        });
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (bodyType is not null)
            request.Content = new StringContent(bodyType.Contains("json", StringComparison.Ordinal) ? "{}" : "", Encoding.UTF8, bodyType);
        return client.SendAsync(request);
    }

    private static string Shorten(string body) => body.Length <= 200 ? body : body[..200];

    [GeneratedRegex(@"\{(?<name>\w+)(?::[^}]*)?\}", RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Constraint();

    [GeneratedRegex(@"\{(?<name>\w+)\}", RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Parameter();
}
