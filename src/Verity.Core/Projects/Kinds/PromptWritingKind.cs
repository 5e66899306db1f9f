using System.Text.Json;
using System.Text.Json.Serialization;
using Verity.Core.Items;
using Verity.Core.Work;

namespace Verity.Core.Projects;

/// <summary>A written prompt, with the answer it should get if the annotator gave one.</summary>
public sealed record PromptAnswer(string Prompt, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IdealAnswer = null);

/// <summary>
/// Write a challenging prompt for the category and difficulty the project sets (rubric settings <c>category</c> and
/// <c>difficulty</c>), optionally with the ideal answer. Items carry no responses; their prompt is the brief.
/// </summary>
public sealed class PromptWritingKind : TaskKind<PromptAnswer>
{
    /// <summary>The stored name.</summary>
    public const string Id = "prompt-writing";

    /// <summary>The difficulties a project can ask for.</summary>
    public static readonly IReadOnlyList<string> Difficulties = ["easy", "medium", "hard", "expert"];

    /// <inheritdoc/>
    public override string Name => Id;

    /// <inheritdoc/>
    public override (int Min, int Max) ResponseCount => (0, 0);

    /// <inheritdoc/>
    public override IReadOnlyList<string> SubmissionFields => ["text", "idealAnswer"];

    /// <inheritdoc/>
    public override string Partial => "PromptWriting";

    /// <summary>A written prompt has no single right answer to score against.</summary>
    public override bool TakesGold => false;

    /// <inheritdoc/>
    public override IReadOnlyList<string> ExportFormats => ["prompts", AnnotationsFormat];

    /// <summary>A prompt dataset: one record per accepted prompt.</summary>
    public override string AnswerRecordFormat => "prompts";

    /// <inheritdoc/>
    public override IReadOnlyList<string> RubricSettings => ["category", "difficulty"];

    /// <inheritdoc/>
    public override void ValidateRubric(Rubric rubric, ErrorList errors)
    {
        base.ValidateRubric(rubric, errors);
        if (rubric.Settings.GetValueOrDefault("category")?.Trim() is not { Length: > 0 and <= 100 })
            errors.Add("rubric.settings.category", "is required: what the prompts are about, 1–100 characters.");
        if (!Difficulties.Contains(rubric.Settings.GetValueOrDefault("difficulty") ?? "", StringComparer.Ordinal))
            errors.Add("rubric.settings.difficulty", $"is required: one of {string.Join(", ", Difficulties)}.");
    }

    /// <inheritdoc/>
    public override void WriteAnswerRecord(Utf8JsonWriter w, AnswerRecord record)
    {
        var answer = (PromptAnswer)record.Answer;
        w.WriteString("prompt", answer.Prompt);
        if (answer.IdealAnswer is not null)
            w.WriteString("idealAnswer", answer.IdealAnswer);
        w.WriteString("category", record.Rubric.Settings["category"]);
        w.WriteString("difficulty", record.Rubric.Settings["difficulty"]);
        w.WriteString("annotator", record.Annotator);
        w.WriteNumber("guidelineVersion", record.GuidelineVersion);
    }

    /// <summary>The prompt must be at least the rubric's <c>minChars</c>; the ideal answer is optional.</summary>
    protected override PromptAnswer Validate(Rubric rubric, IReadOnlyList<Response> responses, Submission s, ErrorList errors)
    {
        var prompt = WritingKind.CheckText(s.Text, "text", rubric.MinChars, errors);
        var ideal = s.IdealAnswer is null ? null : WritingKind.CheckText(s.IdealAnswer, "idealAnswer", 0, errors);
        return new PromptAnswer(prompt, string.IsNullOrEmpty(ideal) ? null : ideal);
    }
}
