using System.Net;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Security;

namespace Verity.Tests.Infrastructure;

/// <summary>Two nodes on one PostgreSQL database, each with its own container, caches and key ring in memory.</summary>
public sealed class NodesTests
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task a_sign_in_and_a_form_from_one_node_are_accepted_by_the_other()
    {
        await using var first = await VerityServer.StartAsync(DatabaseProvider.Postgres);
        await using var second = await first.StartNodeAsync();
        await first.AddUserAsync("req", Roles.Requester, Password);

        // The antiforgery token and cookie come from the first node; the second checks them.
        var cookies = new CookieContainer();
        using var onFirst = CookieClient.New(first, cookies);
        var token = CookieClient.AntiforgeryToken(await onFirst.GetStringAsync("/login"));
        using var onSecond = CookieClient.New(second, cookies);
        var signIn = await onSecond.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Name"] = "req",
            ["Password"] = Password,
            ["__RequestVerificationToken"] = token,
        }));
        signIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, await signIn.Content.ReadAsStringAsync());

        // The sign-in cookie the second node wrote is read by the first.
        (await onFirst.GetAsync("/api/v1/projects")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await first.QueryAsync(db => db.DataProtectionKeys.CountAsync())).ShouldBe(1, "one key ring, made once, shared");
    }

    [Fact]
    public async Task annotators_spread_over_two_nodes_give_every_item_exactly_its_overlap()
    {
        await using var first = await VerityServer.StartAsync(DatabaseProvider.Postgres);
        await using var second = await first.StartNodeAsync();
        var (_, requester) = await first.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(overlap: 2);
        (await requester.ImportAsync(projectId, Enumerable.Range(1, 12).Select(i => Api.ItemLine($"q{i}")))).EnsureSuccessStatusCode();
        var nodes = new[] { first, second };
        var annotators = new List<HttpClient[]>();
        for (var i = 0; i < 4; i++)
        {
            var (_, client) = await first.AddUserAsync($"ann{i}", Roles.Annotator);
            var other = second.Client();
            other.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;
            annotators.Add([client, other]);
        }

        // Each annotator alternates nodes on every call, all four at once, until nothing is left for them. "Nothing"
        // may mean the rest is leased to others for now, so a few asks in a row must come back empty.
        await Task.WhenAll(annotators.Select(async clients =>
        {
            for (int call = 0, empty = 0; empty < 5; call++)
            {
                var task = await clients[call % 2].NextAsync(projectId);
                if (task is null)
                {
                    empty++;
                    await Task.Delay(50);
                    continue;
                }
                empty = 0;
                (await clients[(call + 1) % 2].SubmitAsync(task.Value.AssignmentId(), "a")).EnsureSuccessStatusCode();
            }
        }));

        var answers = await first.QueryAsync(db => db.Annotations
            .Where(a => a.ProjectId == projectId && !db.Assignments.Any(s => s.Id == a.AssignmentId && s.IsRepeat))
            .Select(a => new { a.ItemId, a.AnnotatorId })
            .ToListAsync());
        answers.GroupBy(a => a.ItemId).Select(g => g.Count()).ShouldAllBe(n => n == 2);
        answers.Select(a => a.ItemId).Distinct().Count().ShouldBe(12);
        answers.Distinct().Count().ShouldBe(answers.Count, "nobody answered an item twice");
    }
}
