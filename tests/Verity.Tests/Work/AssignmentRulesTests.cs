using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Work;

public sealed class AssignmentRulesTests
{
    [Theory]
    [Databases]
    public async Task fifty_concurrent_annotators_exhaust_a_project_without_breaking_a_rule(DatabaseProvider provider)
    {
        const int annotators = 50, items = 60, overlap = 3;
        await using var server = await VerityServer.StartAsync(provider, leaseMinutes: 15);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        // Served at random, as projects are by default: in import order fifty annotators race for the same first
        // items, and one who finds every candidate fully leased for the moment is told there is nothing to do.
        var projectId = await requester.CreateProjectAsync(overlap: overlap, servingPolicy: "random");
        (await requester.ImportAsync(projectId, Enumerable.Range(1, items).Select(i => Api.ItemLine($"q{i}")))).EnsureSuccessStatusCode();
        var clients = new List<HttpClient>();
        for (var i = 0; i < annotators; i++)
            clients.Add((await server.AddUserAsync($"ann{i}", Roles.Annotator)).Client);

        // Every fifth annotator walks away from its first lease; those items must come back once the leases expire.
        var abandoned = new ConcurrentBag<Guid>();
        var served = new ConcurrentBag<(int Annotator, Guid Assignment)>();
        var submitted = new ConcurrentBag<Guid>();
        async Task WorkAsync(int index)
        {
            var client = clients[index];
            var walkedAway = index % 5 != 0;
            while (await client.NextAsync(projectId) is { } task)
            {
                served.Add((index, task.AssignmentId()));
                if (!walkedAway)
                {
                    walkedAway = true;
                    abandoned.Add(task.AssignmentId());
                    return;
                }

                var again = await client.NextAsync(projectId);
                again!.Value.AssignmentId().ShouldBe(task.AssignmentId(), "an open lease is returned again, not replaced");
                var response = await client.SubmitAsync(task.AssignmentId(), index % 2 == 0 ? "a" : "b");
                response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
                submitted.Add(task.AssignmentId());
            }
        }

        await Task.WhenAll(Enumerable.Range(0, annotators).Select(i => Task.Run(() => WorkAsync(i))));
        abandoned.Count.ShouldBe(annotators / 5);

        // The abandoned items are still leased, so the project is not finished yet.
        var completeBefore = await server.QueryAsync(db => db.Items.CountAsync(i => i.SubmittedCount >= overlap));
        completeBefore.ShouldBeLessThan(items);

        server.Clock.Advance(TimeSpan.FromMinutes(16));
        await Task.WhenAll(Enumerable.Range(0, annotators).Where(i => i % 5 != 0).Select(i => Task.Run(() => WorkAsync(i))));

        var rows = await server.QueryAsync(async db => (
            Items: await db.Items.AsNoTracking().ToListAsync(),
            Assignments: await db.Assignments.AsNoTracking().ToListAsync(),
            Annotations: await db.Annotations.AsNoTracking().ToListAsync()));

        rows.Annotations.Count.ShouldBe(items * overlap, "the project is exhausted: every item got exactly its overlap");
        rows.Annotations.Count.ShouldBe(submitted.Count, "every accepted submission is stored once");
        rows.Annotations.GroupBy(a => (a.ItemId, a.AnnotatorId)).ShouldAllBe(g => g.Count() == 1, "no annotator labels an item twice");
        rows.Assignments.GroupBy(a => (a.ItemId, a.AnnotatorId)).ShouldAllBe(g => g.Count() == 1, "no annotator is leased an item twice");
        rows.Annotations.GroupBy(a => a.ItemId).ShouldAllBe(g => g.Count() == overlap);
        rows.Items.ShouldAllBe(i => i.SubmittedCount == overlap);
        rows.Assignments.Where(a => abandoned.Contains(a.Id)).ShouldAllBe(a => a.SubmittedAt == null);
        rows.Annotations.Select(a => a.AssignmentId).ShouldBeSubsetOf(rows.Assignments.Where(a => a.SubmittedAt != null).Select(a => a.Id));
        served.Select(s => s.Assignment).Distinct().Count().ShouldBe(rows.Assignments.Count);
    }

    [Theory]
    [Databases]
    public async Task an_expired_lease_returns_the_item_to_the_pool_and_cannot_be_submitted(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider, leaseMinutes: 15);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(overlap: 1);
        (await requester.ImportAsync(projectId, [Api.ItemLine("only")])).EnsureSuccessStatusCode();
        var (_, first) = await server.AddUserAsync("first", Roles.Annotator);
        var (_, second) = await server.AddUserAsync("second", Roles.Annotator);

        var task = await first.NextAsync(projectId);
        (await second.NextAsync(projectId)).ShouldBeNull("the only slot is leased");

        server.Clock.Advance(TimeSpan.FromMinutes(15));
        var retaken = await second.NextAsync(projectId);
        retaken.ShouldNotBeNull();

        var late = await first.SubmitAsync(task!.Value.AssignmentId(), "a");
        late.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await late.Content.ReadAsStringAsync()).ShouldContain("lease expired");
        late.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await second.SubmitAsync(retaken!.Value.AssignmentId(), "a")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await first.NextAsync(projectId)).ShouldBeNull("the first annotator never gets the same item again");
        var item = await server.QueryAsync(db => db.Items.AsNoTracking().SingleAsync());
        (item.LeasedCount, item.LeaseExpiresAt).ShouldBe((0, (DateTime?)null), "the lapsed lease was dropped from the item's count when it was retaken, the submitted one when it was submitted");
    }

    [Theory]
    [Databases]
    public async Task an_item_counts_its_open_leases_on_its_row_and_drops_lapsed_ones_when_it_is_served_again(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider, leaseMinutes: 15);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(overlap: 3);
        (await requester.ImportAsync(projectId, [Api.ItemLine("only")])).EnsureSuccessStatusCode();
        var annotators = new List<HttpClient>();
        for (var i = 0; i < 5; i++)
            annotators.Add((await server.AddUserAsync($"ann{i}", Roles.Annotator)).Client);
        Task<Item> ItemAsync() => server.QueryAsync(db => db.Items.AsNoTracking().SingleAsync());

        var first = await annotators[0].NextAsync(projectId);
        server.Clock.Advance(TimeSpan.FromMinutes(5));
        await annotators[1].NextAsync(projectId);
        var third = await annotators[2].NextAsync(projectId);
        var leased = await ItemAsync();
        leased.LeasedCount.ShouldBe(3);
        leased.LeaseExpiresAt.ShouldBe(first!.Value.GetProperty("expiresAt").GetDateTime().ToUniversalTime(), "the earliest lease sets when the count must be checked");
        (await annotators[3].NextAsync(projectId)).ShouldBeNull("three open leases fill an overlap of three");

        (await annotators[2].SubmitAsync(third!.Value.AssignmentId(), "a")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ItemAsync()).LeasedCount.ShouldBe(2, "a submitted lease is no longer counted");

        // The first lease runs out; the next request counts the item again and takes the free place.
        server.Clock.Advance(TimeSpan.FromMinutes(11));
        (await annotators[3].NextAsync(projectId)).ShouldNotBeNull();
        var recounted = await ItemAsync();
        recounted.LeasedCount.ShouldBe(2, "the lapsed lease was dropped, the new one counted");
        (await annotators[4].NextAsync(projectId)).ShouldBeNull("two open leases and one answer fill the item again");
    }

    [Theory]
    [Databases]
    public async Task submissions_are_idempotent_and_final(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(overlap: 2);
        (await requester.ImportAsync(projectId, [Api.ItemLine("q1"), Api.ItemLine("q2")])).EnsureSuccessStatusCode();
        var (_, annotator) = await server.AddUserAsync("ann", Roles.Annotator);
        var (_, other) = await server.AddUserAsync("other", Roles.Annotator);

        var task = (await annotator.NextAsync(projectId))!.Value;
        // A time with digits below the microsecond, which PostgreSQL does not keep: the replay must still match.
        server.Clock.Advance(TimeSpan.FromTicks(1_234_567));
        var first = await annotator.SubmitAsync(task.AssignmentId(), "a", key: "key-1");
        var replay = await annotator.SubmitAsync(task.AssignmentId(), "a", key: "key-1");
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        replay.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await replay.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());

        var changed = await annotator.SubmitAsync(task.AssignmentId(), "b", key: "key-2");
        changed.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await changed.Content.ReadAsStringAsync()).ShouldContain("already submitted");

        var next = (await annotator.NextAsync(projectId))!.Value;
        var reusedKey = await annotator.SubmitAsync(next.AssignmentId(), "a", key: "key-1");
        reusedKey.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await reusedKey.Content.ReadAsStringAsync()).ShouldContain("idempotency key");

        var foreign = await other.SubmitAsync(next.AssignmentId(), "a");
        foreign.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await foreign.Content.ReadAsStringAsync()).ShouldContain("leased to another annotator");

        (await server.QueryAsync(db => db.Annotations.CountAsync())).ShouldBe(1);
    }

    [Theory]
    [Databases]
    public async Task an_invalid_answer_gets_field_errors_and_stores_nothing(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(overlap: 1, minChars: 20);
        (await requester.ImportAsync(projectId, [Api.ItemLine("q1")])).EnsureSuccessStatusCode();
        var (_, annotator) = await server.AddUserAsync("ann", Roles.Annotator);
        var task = (await annotator.NextAsync(projectId))!.Value;

        var bad = await annotator.SubmitAsync(task.AssignmentId(), "c", strength: 7, rationale: "short");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        errors.GetProperty("choice")[0].GetString()!.ShouldContain("\"c\" is not a response");
        errors.GetProperty("strength")[0].GetString()!.ShouldContain("between 1 and 3");
        errors.GetProperty("rationale")[0].GetString()!.ShouldContain("at least 20 characters");

        var unknownField = await annotator.PostAsJsonAsync($"/api/v1/assignments/{task.AssignmentId()}/submit",
            new { choice = "a", strength = 1, rationale = "A long enough rationale here.", idempotencyKey = "k", confidence = 5 });
        unknownField.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await unknownField.Content.ReadAsStringAsync()).ShouldContain("confidence");

        var noKey = await annotator.PostAsJsonAsync($"/api/v1/assignments/{task.AssignmentId()}/submit",
            new { choice = "a", strength = 1, rationale = "A long enough rationale here." });
        noKey.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await noKey.Content.ReadAsStringAsync()).ShouldContain("idempotencyKey");

        var tie = await annotator.SubmitAsync(task.AssignmentId(), "tie", strength: null);
        tie.StatusCode.ShouldBe(HttpStatusCode.OK, "a tie needs no strength");
        (await server.QueryAsync(db => db.Annotations.SingleAsync())).AnswerJson.ShouldBe("""{"choice":"tie","strength":null}""");
    }

    [Theory]
    [Databases]
    public async Task next_returns_no_content_when_nothing_is_left_and_shuffles_response_order(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(overlap: 1);
        (await requester.ImportAsync(projectId, Enumerable.Range(1, 40).Select(i => Api.ItemLine($"q{i}")))).EnsureSuccessStatusCode();
        var (_, annotator) = await server.AddUserAsync("ann", Roles.Annotator);

        var firstShown = new List<string>();
        while (await annotator.NextAsync(projectId) is { } task)
        {
            var responses = task.GetProperty("item").GetProperty("responses").EnumerateArray().ToList();
            responses.Count.ShouldBe(2);
            firstShown.Add(responses[0].GetProperty("id").GetString()!);
            (await annotator.SubmitAsync(task.AssignmentId(), "a")).EnsureSuccessStatusCode();
        }

        firstShown.Count.ShouldBe(40);
        // 40 fair coin flips land all on one side with probability 2^-39.
        firstShown.ShouldContain("a");
        firstShown.ShouldContain("b");
        var stored = await server.QueryAsync(db => db.Assignments.Select(a => a.ShownOrderJson).ToListAsync());
        stored.Select(s => JsonSerializer.Deserialize<string[]>(s)![0]).Order().ShouldBe(firstShown.Order());
    }
}
