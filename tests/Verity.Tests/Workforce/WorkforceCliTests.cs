using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Security;
using Verity.Tests.Cli;

namespace Verity.Tests.Workforce;

/// <summary>Issue 12: the CLI issues a token for an existing person and resets an assessment attempt with a reason.</summary>
public sealed class WorkforceCliTests
{
    [Theory]
    [Databases]
    public async Task users_token_prints_a_working_token_alone_on_the_last_line(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var db = database.DbArgument;
        (await CliTests.RunAsync("users", "add", "ann", "--role", "annotator", "--db", db)).Code.ShouldBe(0);

        var issued = await CliTests.RunAsync("users", "token", "ann", "--db", db);

        issued.Code.ShouldBe(0, issued.Error);
        var secret = issued.Output.TrimEnd().Split('\n')[^1];
        secret.ShouldStartWith("vt_");
        await using var context = database.Target.CreateContext();
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));
        (await context.ApiTokens.CountAsync(t => t.TokenHash == hash)).ShouldBe(1);
        (await CliTests.RunAsync("users", "token", "nobody", "--db", db)).Code.ShouldNotBe(0);
    }

    [Theory]
    [Databases]
    public async Task users_reset_assessment_sets_the_attempt_aside_and_audits_the_reason(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var db = database.DbArgument;
        (await CliTests.RunAsync("users", "add", "ann", "--role", "annotator", "--db", db)).Code.ShouldBe(0);
        await using var context = database.Target.CreateContext();
        var owner = new User { Id = Guid.CreateVersion7(), Name = "req", Role = Roles.Requester, Pseudonym = "req-1", CreatedAt = DateTime.UtcNow };
        var project = new Project
        {
            Id = Guid.CreateVersion7(),
            OwnerId = owner.Id,
            Name = "Coding Assessment",
            Kind = "pairwise",
            RubricJson = "{}",
            Aggregation = "",
            Overlap = 1,
            GuidelineVersion = 1,
            ServingPolicy = "import-order",
            CreatedAt = DateTime.UtcNow,
            Purpose = "assessment",
            AssessmentTrackId = "coding",
            PassScore = 0.7,
            TimeLimitMinutes = 60,
        };
        context.AddRange(owner, project);
        var ann = await context.Users.SingleAsync(u => u.Name == "ann");
        context.AssessmentAttempts.Add(new AssessmentAttempt { Id = Guid.CreateVersion7(), ProjectId = project.Id, UserId = ann.Id, StartedAt = DateTime.UtcNow, DeadlineAt = DateTime.UtcNow.AddHours(1) });
        await context.SaveChangesAsync();

        var reset = await CliTests.RunAsync("users", "reset-assessment", "ann", project.Id.ToString(), "--reason", "Browser crashed.", "--db", db);

        reset.Code.ShouldBe(0, reset.Error);
        context.ChangeTracker.Clear();
        (await context.AssessmentAttempts.SingleAsync()).ResetReason.ShouldBe("Browser crashed.");
        (await context.AuditEvents.SingleAsync(e => e.Kind == AuditKinds.AssessmentReset)).Detail.ShouldBe("Browser crashed.");
        (await CliTests.RunAsync("users", "reset-assessment", "ann", project.Id.ToString(), "--reason", "Again.", "--db", db)).Code.ShouldNotBe(0, "nothing left to reset");
    }
}
