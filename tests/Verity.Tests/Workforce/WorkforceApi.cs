using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Workforce;

/// <summary>Steps of the workforce API, so tests read as what people do.</summary>
internal static class WorkforceApi
{
    /// <summary>Signs a person up through the API and returns a client holding a token issued for them by the admin.</summary>
    public static async Task<(Guid Id, HttpClient Client)> SignUpAsync(this VerityServer server, HttpClient admin, string name, params string[] tracks)
    {
        var response = await server.Client().PostAsJsonAsync("/api/v1/signup", new { name, password = "correct horse", tracks, background = "Ten years of <b>editing</b>." });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var issued = await admin.PostAsJsonAsync($"/api/v1/users/{id}/tokens", new { name = "test" });
        issued.StatusCode.ShouldBe(HttpStatusCode.Created, await issued.Content.ReadAsStringAsync());
        return (id, server.Client((await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()));
    }

    /// <summary>An assessment of pairwise gold questions (answer "a" is right) plus free-text questions scored by reviewers.</summary>
    public static async Task<Guid> CreateAssessmentAsync(this HttpClient requester, string track, int gold, int freeText, double passScore = 0.7, int minutes = 60, string? name = null)
    {
        var projectId = await requester.CreateProjectAsync(new
        {
            name = name ?? $"{track} assessment",
            kind = "pairwise",
            overlap = 1,
            guidelines = "Choose the better response and explain why.",
            rationale = new { required = true, minChars = 10 },
            purpose = "assessment",
            track,
            passScore,
            timeLimitMinutes = minutes,
        });
        var lines = Enumerable.Range(1, gold).Select(i => Api.ItemLine($"gold-{i}")[..^1] + ",\"gold\":{\"choice\":\"a\",\"explanation\":\"Paris is right.\"}}")
            .Concat(Enumerable.Range(1, freeText).Select(i => JsonSerializer.Serialize(new
            {
                externalId = $"essay-{i}",
                prompt = "Which answer would you send to a customer, and why?",
                responses = new[] { new { id = "a", text = "A careful answer." }, new { id = "b", text = "A rude answer." } },
                metadata = new { rubric = "Full marks for naming tone and accuracy." },
            })));
        (await requester.ImportAsync(projectId, lines)).StatusCode.ShouldBe(HttpStatusCode.OK);
        return projectId;
    }

    /// <summary>Answers every question of a started assessment: gold with <paramref name="choice"/>, free text with a rationale.</summary>
    public static async Task<int> AnswerAllAsync(this HttpClient person, Guid projectId, string choice = "a")
    {
        var answered = 0;
        while (await person.NextAsync(projectId) is { } task)
        {
            (await person.SubmitAsync(task.AssignmentId(), choice, rationale: "The first is accurate and polite.")).StatusCode.ShouldBe(HttpStatusCode.OK);
            answered++;
        }

        return answered;
    }

    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
