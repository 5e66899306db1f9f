using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Projects;

public sealed class ChangeSettingsTests
{
    [Theory]
    [Databases]
    public async Task quality_settings_change_on_a_running_project_with_creations_messages_and_each_change_is_recorded(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(new { name = "Quality later", kind = "pairwise", overlap = 2 });

        var bad = await requester.PatchAsJsonAsync($"/api/v1/projects/{projectId}", new
        {
            gold = new { rate = 0.9 },
            dynamicOverlap = new { max = 1, targetConfidence = 0.95 },
            review = new { sampleRate = 2 },
            servingPolicy = "import-order",
        });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        var created = await requester.PostAsJsonAsync("/api/v1/projects", new
        {
            name = "x",
            overlap = 2,
            gold = new { rate = 0.9 },
            dynamicOverlap = new { max = 1, targetConfidence = 0.95 },
            review = new { sampleRate = 2 },
        });
        var createErrors = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "gold.rate", "dynamicOverlap.max", "review.sampleRate" })
            errors.GetProperty(field)[0].GetString().ShouldBe(createErrors.GetProperty(field)[0].GetString(), field);
        var unchanged = await server.QueryAsync(db => db.Projects.SingleAsync());
        (unchanged.GoldRate, unchanged.ServingPolicy, unchanged.DynamicMax).ShouldBe((0.1, "random", 0), "nothing is half-written");

        var good = await requester.PatchAsJsonAsync($"/api/v1/projects/{projectId}", new
        {
            gold = new { rate = 0.2, feedback = true, calibration = 3 },
            repeats = new { rate = 0.05, delayMinutes = 60 },
            dynamicOverlap = new { max = 4, targetConfidence = 0.9 },
            review = new { sampleRate = 0.5, showAnnotators = true },
        });
        good.StatusCode.ShouldBe(HttpStatusCode.OK, await good.Content.ReadAsStringAsync());
        var view = await good.Content.ReadFromJsonAsync<JsonElement>();
        view.GetProperty("gold").GetProperty("rate").GetDouble().ShouldBe(0.2);
        view.GetProperty("gold").GetProperty("calibration").GetInt32().ShouldBe(3);
        view.GetProperty("repeats").GetProperty("delayMinutes").GetInt32().ShouldBe(60);
        view.GetProperty("dynamicOverlap").GetProperty("max").GetInt32().ShouldBe(4);
        view.GetProperty("review").GetProperty("sampleRate").GetDouble().ShouldBe(0.5);
        var detail = (await server.QueryAsync(db => db.AuditEvents.SingleAsync(e => e.Kind == global::Verity.Security.AuditKinds.ProjectChanged))).Detail!;
        detail.Split('\n').ShouldBe(
        [
            "gold.rate: 0.1 → 0.2", "gold.feedback: off → on", "gold.calibration: 0 → 3", "repeats.rate: 0 → 0.05", "repeats.delayMinutes: 1440 → 60",
            "dynamicOverlap.max: off → 4", "dynamicOverlap.targetConfidence: 0.95 → 0.9", "review.sampleRate: 0 → 0.5", "review.showAnnotators: off → on",
        ]);

        (await requester.PatchAsJsonAsync($"/api/v1/projects/{projectId}", new { dynamicOverlap = new { max = 0, targetConfidence = 0.9 } })).EnsureSuccessStatusCode();
        (await server.QueryAsync(db => db.Projects.SingleAsync())).DynamicMax.ShouldBe(0, "a max of 0 turns dynamic overlap off");
    }
}
