using System.Text.Json;
using Verity.Core.Projects;
using Verity.Core.Work;

namespace Verity.Core.Items;

/// <summary>
/// Reads one JSON Lines import line into an <see cref="ItemDraft"/>, reporting every bad field by name
/// so a requester can fix a file in one pass.
/// </summary>
public static class ItemLineParser
{
    /// <summary>Longest external id accepted.</summary>
    public const int MaxExternalIdLength = 200;

    /// <summary>Longest prompt or response text accepted, in characters.</summary>
    public const int MaxTextLength = 100_000;

    private static readonly string[] KnownFields = ["externalId", "prompt", "responses", "reference", "metadata", "gold", "scores"];

    private static readonly JsonSerializerOptions GoldOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Parses a line; returns null and fills <paramref name="problems"/> when it is invalid.</summary>
    public static ItemDraft? Parse(string line, string kind, Rubric rubric, List<string> problems)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            problems.Add($"not valid JSON ({e.Message.Split(" Path:")[0]})");
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problems.Add("must be a JSON object");
                return null;
            }

            foreach (var property in root.EnumerateObject())
            {
                if (!KnownFields.Contains(property.Name, StringComparer.Ordinal))
                    problems.Add($"{property.Name}: unknown field (expected {string.Join(", ", KnownFields)})");
            }

            var externalId = RequiredText(root, "externalId", MaxExternalIdLength, problems);
            var prompt = RequiredText(root, "prompt", MaxTextLength, problems);
            var responses = ParseResponses(root, kind, problems);
            string? reference = null;
            if (root.TryGetProperty("reference", out var referenceElement) && referenceElement.ValueKind != JsonValueKind.Null)
                reference = RequiredText(root, "reference", MaxTextLength, problems);
            var metadata = "{}";
            if (root.TryGetProperty("metadata", out var metadataElement))
            {
                if (metadataElement.ValueKind == JsonValueKind.Object)
                    metadata = metadataElement.GetRawText();
                else if (metadataElement.ValueKind != JsonValueKind.Null)
                    problems.Add("metadata: must be an object");
            }

            object? gold = null;
            string? explanation = null;
            if (root.TryGetProperty("gold", out var goldElement) && goldElement.ValueKind != JsonValueKind.Null && problems.Count == 0)
                (gold, explanation) = ParseGold(goldElement, kind, rubric, responses, problems);

            string? scores = null;
            if (root.TryGetProperty("scores", out var scoresElement) && scoresElement.ValueKind != JsonValueKind.Null)
                scores = ModelScores.Parse(scoresElement, [.. responses.Select(r => r.Id), .. rubric.Labels], "scores", problems);

            return problems.Count == 0 ? new ItemDraft(externalId!, prompt!, responses, metadata, reference, gold, explanation, scores) : null;
        }
    }

    /// <summary>The gold answer has the shape of a submission (plus an explanation) and is checked like one.</summary>
    private static (object? Answer, string? Explanation) ParseGold(
        JsonElement element, string kind, Rubric rubric, IReadOnlyList<Response> responses, List<string> problems)
    {
        if (!TaskKind.Named(kind).TakesGold)
        {
            problems.Add($"gold: {kind} items are not gold-scored");
            return (null, null);
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add("gold: must be an object in the shape of a submission, with an optional explanation");
            return (null, null);
        }

        var explanation = element.TryGetProperty("explanation", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
        var answer = new System.Text.Json.Nodes.JsonObject();
        foreach (var property in element.EnumerateObject().Where(p => p.Name != "explanation"))
            answer[property.Name] = System.Text.Json.Nodes.JsonNode.Parse(property.Value.GetRawText());
        // A gold author says which response is right; how much better it is, and per dimension, is not scored against
        // gold, so a pairwise gold answer needs only the choice (the checks get stand-ins that are not stored).
        var pairwise = kind == TaskKind.Pairwise;
        var strengthGiven = answer.ContainsKey("strength");
        var dimensionsGiven = answer.ContainsKey("dimensions");
        if (pairwise && !strengthGiven)
            answer["strength"] = 1;
        if (pairwise && !dimensionsGiven && rubric.Dimensions.Count > 0)
            answer["dimensions"] = new System.Text.Json.Nodes.JsonObject(rubric.Dimensions.Select(d => KeyValuePair.Create(d.Name, answer["choice"]?.DeepClone())));
        try
        {
            var submission = answer.Deserialize<Submission>(GoldOptions)!;
            var validated = AnswerValidator.Validate(kind, rubric, new RationaleRule(Required: false, MinChars: 0), responses, submission).Answer;
            if (validated is PairwiseAnswer choice)
                validated = choice with { Strength = strengthGiven ? choice.Strength : null, Dimensions = dimensionsGiven ? choice.Dimensions : null };
            return (validated, explanation);
        }
        catch (JsonException e)
        {
            problems.Add($"gold: {e.Message.Split(" Path:")[0]}");
        }
        catch (ValidationException e)
        {
            problems.AddRange(e.Errors.SelectMany(error => error.Value.Select(message => $"gold.{error.Key}: {message}")));
        }

        return (null, null);
    }

    private static string Count(int min, int max) =>
        min == max ? $"exactly {min} response{(min == 1 ? "" : "s")}" : min == 0 ? $"at most {max} response" : $"{min} to {max} responses";

    private static string? RequiredText(JsonElement parent, string name, int maxLength, List<string> problems, string? path = null)
    {
        path ??= name;
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            problems.Add($"{path}: is required");
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{path}: must be a string");
            return null;
        }

        var text = element.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
            problems.Add($"{path}: must not be empty");
        else if (text.Length > maxLength)
            problems.Add($"{path}: must be at most {maxLength:N0} characters");
        return text;
    }

    private static List<Response> ParseResponses(JsonElement root, string kind, List<string> problems)
    {
        var responses = new List<Response>();
        var (min, max) = TaskKind.Named(kind).ResponseCount;
        if (!root.TryGetProperty("responses", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            if (min > 0)
                problems.Add("responses: is required and must be an array");
            return responses;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            problems.Add("responses: must be an array");
            return responses;
        }

        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var path = $"responses[{index++}]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{path}: must be an object with id and text");
                continue;
            }

            foreach (var property in element.EnumerateObject())
            {
                if (property.Name is not ("id" or "text"))
                    problems.Add($"{path}.{property.Name}: unknown field (expected id, text)");
            }

            var id = RequiredText(element, "id", 50, problems, $"{path}.id");
            var text = RequiredText(element, "text", MaxTextLength, problems, $"{path}.text");
            if (id is null || text is null)
                continue;
            if (id == PairwiseAnswer.Tie)
                problems.Add($"{path}.id: \"{PairwiseAnswer.Tie}\" is reserved for a tie");
            else if (responses.Exists(r => r.Id == id))
                problems.Add($"{path}.id: \"{id}\" appears twice");
            responses.Add(new Response(id, text));
        }

        if (index < min || index > max)
            problems.Add($"responses: a {kind} item needs {Count(min, max)}, found {index}");
        return responses;
    }
}
