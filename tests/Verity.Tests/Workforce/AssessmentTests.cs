using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Security;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Workforce;

/// <summary>Issue 12: sign up, take the one attempt, get scored (gold at once, free text by reviewers), qualify.</summary>
public sealed class AssessmentTests
{
    [Theory]
    [Databases]
    public async Task an_applicant_is_admitted_only_when_reviewers_have_scored_the_free_text_and_the_score_passes(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, admin) = await server.AddUserAsync("root", Roles.Admin);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var (_, reviewer) = await server.AddUserAsync("rev", Roles.Reviewer);
        var starter = await requester.CreateAssessmentAsync("general", gold: 3, freeText: 1, passScore: 0.7, name: "Starter Assessment");
        var open = await requester.CreateProjectAsync("Open work", overlap: 1);
        (await requester.ImportAsync(open, [Api.ItemLine("w1")])).EnsureSuccessStatusCode();
        var (_, person) = await server.SignUpAsync(admin, "newcomer", "general", "coding");

        var listed = await person.GetFromJsonAsync<JsonElement>("/api/v1/projects");
        listed.EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).ShouldBe([starter], "an applicant sees only their assessment");
        (await (await person.GetAsync($"/api/v1/projects/{open}/next")).ProblemAsync(HttpStatusCode.Forbidden))
            .GetProperty("detail").GetString()!.ShouldContain("Starter Assessment");

        (await person.PostAsync($"/api/v1/assessments/{starter}/start", null)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await person.AnswerAllAsync(starter)).ShouldBe(4);

        var attempt = await person.GetFromJsonAsync<JsonElement>($"/api/v1/assessments/{starter}/attempt");
        attempt.GetProperty("status").GetString().ShouldBe("awaiting-review");
        attempt.GetProperty("score").ValueKind.ShouldBe(JsonValueKind.Null, "no score shows before every part is scored");
        (await person.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("status").GetString().ShouldBe("applicant");

        var toScore = await reviewer.GetFromJsonAsync<JsonElement>("/api/v1/assessments/answers");
        toScore.GetArrayLength().ShouldBe(1, "gold questions are scored automatically");
        toScore[0].GetProperty("rubric").GetString().ShouldBe("Full marks for naming tone and accuracy.");
        toScore[0].GetProperty("rationale").GetString().ShouldBe("The first is accurate and polite.");
        toScore[0].GetRawText().ShouldNotContain("newcomer");
        var answerId = toScore[0].GetProperty("annotationId").GetGuid();
        (await (await reviewer.PostAsJsonAsync($"/api/v1/assessments/answers/{answerId}/score", new { score = 2.0 })).ProblemAsync(HttpStatusCode.BadRequest))
            .GetProperty("errors").TryGetProperty("score", out _).ShouldBeTrue();
        (await reviewer.PostAsJsonAsync($"/api/v1/assessments/answers/{answerId}/score", new { score = 0.5, note = "Named accuracy only." })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await reviewer.PostAsJsonAsync($"/api/v1/assessments/answers/{answerId}/score", new { score = 1.0 })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        // Reviewers see the queues of the projects they are assigned to only; assigned here, this one finds it empty.
        (await reviewer.GetAsync($"/api/v1/projects/{starter}/review-queue")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await server.AssignReviewerAsync(starter, "rev");
        (await reviewer.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{starter}/review-queue")).GetArrayLength().ShouldBe(0,
            "review feedback reaches the annotator, so assessments have no review queue");
        (await reviewer.PostAsJsonAsync($"/api/v1/annotations/{answerId}/review", new { decision = "reject", feedback = "The answer was a." })).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        attempt = await person.GetFromJsonAsync<JsonElement>($"/api/v1/assessments/{starter}/attempt");
        attempt.GetProperty("status").GetString().ShouldBe("passed");
        attempt.GetProperty("score").GetDouble().ShouldBe(0.875, 1e-9, "three gold right and a half-scored essay, over four questions");
        var me = await person.GetFromJsonAsync<JsonElement>("/api/v1/me");
        me.GetProperty("status").GetString().ShouldBe("admitted");
        me.GetProperty("tracks")[0].GetProperty("track").GetString().ShouldBe("general");
        me.GetProperty("tracks")[0].GetProperty("tier").GetInt32().ShouldBe(1);
        me.GetProperty("history")[0].GetProperty("reason").GetString().ShouldBe("Passed the assessment \"Starter Assessment\" with 88%.");
        (await person.NextAsync(open)).ShouldNotBeNull("an admitted person works on open projects");
        (await person.GetFromJsonAsync<JsonElement>("/api/v1/projects")).EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).ShouldBe([open],
            "a passed assessment is no longer offered");
    }

    [Theory]
    [Databases]
    public async Task a_second_start_is_refused_with_409_from_any_token_and_the_database_holds_one_attempt(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, admin) = await server.AddUserAsync("root", Roles.Admin);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var starter = await requester.CreateAssessmentAsync("general", gold: 2, freeText: 0);
        var (id, person) = await server.SignUpAsync(admin, "twice", "general");
        var issued = await (await admin.PostAsJsonAsync($"/api/v1/users/{id}/tokens", new { name = "second device" })).Content.ReadFromJsonAsync<JsonElement>();
        var secondDevice = server.Client(issued.GetProperty("secret").GetString());

        var starts = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => (i % 2 == 0 ? person : secondDevice).PostAsync($"/api/v1/assessments/{starter}/start", null)));

        starts.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        foreach (var refused in starts.Where(r => r.StatusCode != HttpStatusCode.Created))
            (await refused.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString()!.ShouldContain("can be taken only once");
        (await server.QueryAsync(db => db.AssessmentAttempts.CountAsync())).ShouldBe(1);
        await using var db = server.Database.CreateContext();
        var attempt = await db.AssessmentAttempts.SingleAsync();
        db.AssessmentAttempts.Add(new AssessmentAttempt { Id = Guid.CreateVersion7(), ProjectId = attempt.ProjectId, UserId = attempt.UserId, StartedAt = attempt.StartedAt, DeadlineAt = attempt.DeadlineAt });
        await Should.ThrowAsync<DbUpdateException>(() => db.SaveChangesAsync(), "the unique index refuses a second live attempt");
    }

    [Theory]
    [Databases]
    public async Task a_failed_person_does_not_see_or_lease_gated_projects_and_nothing_reveals_the_answers(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, admin) = await server.AddUserAsync("root", Roles.Admin);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var starter = await requester.CreateAssessmentAsync("general", gold: 2, freeText: 0);
        var open = await requester.CreateProjectAsync("Open work", overlap: 1);
        (await requester.ImportAsync(open, [Api.ItemLine("w1")])).EnsureSuccessStatusCode();
        var (_, person) = await server.SignUpAsync(admin, "unlucky", "general");
        (await person.PostAsync($"/api/v1/assessments/{starter}/start", null)).EnsureSuccessStatusCode();

        var bodies = new List<string>();
        while (await person.GetAsync($"/api/v1/projects/{starter}/next") is { StatusCode: HttpStatusCode.OK } next)
        {
            var body = await next.Content.ReadAsStringAsync();
            bodies.Add(body);
            var submitted = await person.SubmitAsync(JsonDocument.Parse(body).RootElement.AssignmentId(), "b", rationale: "The second one reads better.");
            bodies.Add(await submitted.Content.ReadAsStringAsync());
        }

        bodies.Count.ShouldBe(4);
        bodies.ShouldAllBe(b => !b.Contains("gold", StringComparison.OrdinalIgnoreCase) && !b.Contains("Paris is right", StringComparison.Ordinal) && !b.Contains("score", StringComparison.OrdinalIgnoreCase));
        var attempt = await person.GetFromJsonAsync<JsonElement>($"/api/v1/assessments/{starter}/attempt");
        attempt.GetProperty("status").GetString().ShouldBe("failed", "gold-only assessments are decided at the last answer");
        attempt.GetRawText().ShouldNotContain("gold-1");
        (await person.GetFromJsonAsync<JsonElement>("/api/v1/projects")).EnumerateArray().Select(p => p.GetProperty("purpose").GetString()).ShouldBe(["assessment"],
            "no work project, gated or open, before passing");
        (await person.GetAsync($"/api/v1/projects/{open}/next")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await (await person.PostAsync($"/api/v1/assessments/{starter}/start", null)).ProblemAsync(HttpStatusCode.Conflict))
            .GetProperty("detail").GetString()!.ShouldContain("only once");
        (await server.Client().GetStringAsync("/work")).ShouldNotContain("Paris is right");
    }

    [Theory]
    [Databases]
    public async Task answers_after_the_time_limit_do_not_count(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider, leaseMinutes: 60);
        var (_, admin) = await server.AddUserAsync("root", Roles.Admin);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var starter = await requester.CreateAssessmentAsync("general", gold: 2, freeText: 0, passScore: 0.5, minutes: 30);
        var (_, person) = await server.SignUpAsync(admin, "slow", "general");
        (await person.PostAsync($"/api/v1/assessments/{starter}/start", null)).EnsureSuccessStatusCode();
        var first = (await person.NextAsync(starter))!.Value;
        server.Clock.Advance(TimeSpan.FromMinutes(31));

        (await person.SubmitAsync(first.AssignmentId(), "a")).StatusCode.ShouldBe(HttpStatusCode.OK, "the lease still runs; the answer is stored");
        (await (await person.GetAsync($"/api/v1/projects/{starter}/next")).ProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString()!.ShouldContain("time limit");

        var attempt = await person.GetFromJsonAsync<JsonElement>($"/api/v1/assessments/{starter}/attempt");
        attempt.GetProperty("status").GetString().ShouldBe("failed");
        attempt.GetProperty("score").GetDouble().ShouldBe(0, "the late answer does not count");
    }

    [Theory]
    [Databases]
    public async Task an_operator_reset_is_audited_with_its_reason_and_allows_one_more_attempt(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, admin) = await server.AddUserAsync("root", Roles.Admin);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var starter = await requester.CreateAssessmentAsync("general", gold: 2, freeText: 0);
        var (id, person) = await server.SignUpAsync(admin, "unlucky", "general");
        (await person.PostAsync($"/api/v1/assessments/{starter}/start", null)).EnsureSuccessStatusCode();
        (await person.AnswerAllAsync(starter, choice: "b")).ShouldBe(2);

        (await (await admin.PostAsJsonAsync($"/api/v1/users/{id}/assessment-reset", new { projectId = starter })).ProblemAsync(HttpStatusCode.BadRequest))
            .GetProperty("errors").TryGetProperty("reason", out _).ShouldBeTrue();
        (await requester.PostAsJsonAsync($"/api/v1/users/{id}/assessment-reset", new { projectId = starter, reason = "x" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.PostAsJsonAsync($"/api/v1/users/{id}/assessment-reset", new { projectId = starter, reason = "Power cut during the test." })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        server.Clock.Advance(TimeSpan.FromMinutes(5));

        var audit = await server.QueryAsync(db => db.AuditEvents.SingleAsync(e => e.Kind == AuditKinds.AssessmentReset));
        (audit.Subject, audit.Detail, audit.ProjectId).ShouldBe(("unlucky", "Power cut during the test.", (Guid?)starter));
        (await person.PostAsync($"/api/v1/assessments/{starter}/start", null)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await person.AnswerAllAsync(starter, choice: "a")).ShouldBe(2, "the questions are served again");
        (await person.GetFromJsonAsync<JsonElement>($"/api/v1/assessments/{starter}/attempt")).GetProperty("status").GetString().ShouldBe("passed");
        var profile = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/users/{id}/profile");
        profile.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("resetReason").GetString()).ShouldBe(["Power cut during the test.", null]);
    }

    [Theory]
    [Databases]
    public async Task an_assessment_needs_a_known_track_a_pass_score_and_a_time_limit_and_never_gives_gold_feedback(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);

        var problem = await (await requester.PostAsJsonAsync("/api/v1/projects", new
        {
            name = "bad",
            kind = "pairwise",
            purpose = "assessment",
            gold = new { feedback = true },
        })).ProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order().ShouldBe(["gold.feedback", "passScore", "timeLimitMinutes", "track"]);
        (await (await requester.PostAsJsonAsync("/api/v1/projects", new { name = "bad", kind = "pairwise", purpose = "assessment", track = "cooking", passScore = 0.7, timeLimitMinutes = 60 }))
            .ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("track", out _).ShouldBeTrue();
        (await (await requester.PostAsJsonAsync("/api/v1/projects", new { name = "bad", kind = "pairwise", passScore = 0.7 }))
            .ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("passScore", out _).ShouldBeTrue();
        (await server.QueryAsync(db => db.Projects.CountAsync())).ShouldBe(0);
    }
}
