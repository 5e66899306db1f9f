using System.Text.Json;
using Verity.Core.Exports;
using Verity.Core.Items;
using Verity.Core.Work;

namespace Verity.Core.Projects;

/// <summary>Kinds whose answer is a written text (demonstration, rewrite): not scored, exported as SFT conversations.</summary>
public abstract class WritingKind : TaskKind<TextAnswer>
{
    /// <summary>Longest demonstration or rewrite stored.</summary>
    public const int MaxTextChars = 100_000;

    /// <inheritdoc/>
    public override IReadOnlyList<string> SubmissionFields => ["text"];

    /// <inheritdoc/>
    public override string Partial => "Writing";

    /// <inheritdoc/>
    public override IReadOnlyList<string> ExportFormats => ["sft", AnnotationsFormat];

    /// <summary>Supervised fine-tuning conversations, one per demonstration and per rewrite that changed the response.</summary>
    public override string AnswerRecordFormat => "sft";

    /// <summary>An unchanged rewrite teaches nothing.</summary>
    public override string? SkipAnswerRecord(object answer) => ((TextAnswer)answer).Changed == false ? "unchanged-rewrite" : null;

    /// <summary>The prompt and the written text as a conversation, with where the text came from.</summary>
    public override void WriteAnswerRecord(Utf8JsonWriter w, AnswerRecord record)
    {
        Chat.Write(w, "messages", record.Prompt, ((TextAnswer)record.Answer).Text);
        w.WriteString("source", Name);
        w.WriteString("annotator", record.Annotator);
        w.WriteNumber("guidelineVersion", record.GuidelineVersion);
    }

    /// <summary>The trimmed text; adds an error when it is shorter than <paramref name="minChars"/> or longer than <see cref="MaxTextChars"/>.</summary>
    public static string CheckText(string? given, string field, int minChars, ErrorList errors)
    {
        var text = given?.Trim() ?? "";
        if (text.Length < minChars)
            errors.Add(field, $"must be at least {minChars} characters (has {text.Length}).");
        else if (text.Length > MaxTextChars)
            errors.Add(field, $"must be at most {MaxTextChars:N0} characters.");
        return text;
    }

    /// <inheritdoc/>
    protected override TextAnswer Validate(Rubric rubric, IReadOnlyList<Response> responses, Submission s, ErrorList errors)
    {
        var text = CheckText(s.Text, "text", rubric.MinChars, errors);
        if (DraftText(responses) is not { } original)
            return new TextAnswer(text);
        var diff = TextDiff.Words(original, text);
        return new TextAnswer(text, diff, diff.Any(d => d.Op != "equal"));
    }
}

/// <summary>Write the ideal response to a prompt, using the item's reference material.</summary>
public sealed class DemonstrationKind : WritingKind
{
    /// <inheritdoc/>
    public override string Name => Demonstration;

    /// <inheritdoc/>
    public override (int Min, int Max) ResponseCount => (0, 0);

    /// <summary>Free text has no single right answer to score against.</summary>
    public override bool TakesGold => false;
}

/// <summary>Correct a given response; the stored answer keeps the word diff against it.</summary>
public sealed class RewriteKind : WritingKind
{
    /// <inheritdoc/>
    public override string Name => Rewrite;

    /// <inheritdoc/>
    public override (int Min, int Max) ResponseCount => (1, 1);

    /// <summary>The response to correct.</summary>
    public override string? DraftText(IReadOnlyList<Response> responses) => responses[0].Text;
}
