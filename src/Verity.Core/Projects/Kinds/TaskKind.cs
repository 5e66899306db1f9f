using System.Text.Json;
using Verity.Core.Items;
using Verity.Core.Labels;
using Verity.Core.Quality;
using Verity.Core.Work;

namespace Verity.Core.Projects;

/// <summary>
/// A kind of work a project asks for, stored by <see cref="Name"/>. Each kind owns what differs between kinds: how
/// many responses an item carries, the answer record and its validation, the one definition of an answer's class,
/// gold scoring, how answers become the item's live label, the export formats it feeds, what its rubric needs, and
/// its workbench partial. Code elsewhere asks the kind; it does not switch on the name. <see cref="All"/> registers
/// every kind.
/// </summary>
public abstract class TaskKind
{
    /// <summary>Compare two responses to one prompt and choose the better (or a tie).</summary>
    public const string Pairwise = "pairwise";

    /// <summary>Order 3–9 responses from best to worst.</summary>
    public const string Ranking = "ranking";

    /// <summary>Score one response on each rubric dimension.</summary>
    public const string Rating = "rating";

    /// <summary>Write the ideal response to a prompt.</summary>
    public const string Demonstration = "demonstration";

    /// <summary>Correct a given response.</summary>
    public const string Rewrite = "rewrite";

    /// <summary>Choose one or more labels from the project's label set.</summary>
    public const string Classification = "classification";

    /// <summary>Every kind, in the order the documentation lists them.</summary>
    public static readonly IReadOnlyList<TaskKind> All =
        [new PairwiseKind(), new RankingKind(), new RatingKind(), new DemonstrationKind(), new RewriteKind(), new ClassificationKind(), new PromptWritingKind()];

    /// <summary>The names of every kind, in the order the documentation lists them.</summary>
    public static readonly IReadOnlyList<string> Supported = [.. All.Select(k => k.Name)];

    /// <summary>The export format every kind feeds: each annotation with its provenance.</summary>
    public const string AnnotationsFormat = "annotations";

    /// <summary>How stored answers are written and read (camelCase, as the API shows them).</summary>
    public static readonly JsonSerializerOptions AnswerJson = new(JsonSerializerDefaults.Web);

    private static readonly Dictionary<string, TaskKind> ByName = All.ToDictionary(k => k.Name, StringComparer.Ordinal);

    /// <summary>The kind stored under <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No kind has that name.</exception>
    public static TaskKind Named(string name) =>
        ByName.TryGetValue(name, out var kind) ? kind : throw new ArgumentOutOfRangeException(nameof(name), name, "unknown task kind");

    /// <summary>Whether a kind has that name.</summary>
    public static bool Exists(string name) => ByName.ContainsKey(name);

    /// <summary>The name projects store and the API shows.</summary>
    public abstract string Name { get; }

    /// <summary>How many responses an item of this kind must carry (inclusive bounds).</summary>
    public abstract (int Min, int Max) ResponseCount { get; }

    /// <summary>The record this kind's answers are stored as.</summary>
    public abstract Type AnswerType { get; }

    /// <summary>The submission fields this kind reads; any other answer field is refused by name.</summary>
    public abstract IReadOnlyList<string> SubmissionFields { get; }

    /// <summary>The name of the workbench and review partials (<c>_{Partial}.cshtml</c>).</summary>
    public abstract string Partial { get; }

    /// <summary>Whether an import line may carry a gold answer for this kind.</summary>
    public virtual bool TakesGold => true;

    /// <summary>The aggregation methods the kind takes, the default first; empty when its answers are not aggregated.</summary>
    public virtual IReadOnlyList<string> AggregationMethods => [];

    /// <summary>The export formats this kind feeds, <see cref="AnnotationsFormat"/> last.</summary>
    public virtual IReadOnlyList<string> ExportFormats => [AnnotationsFormat];

    /// <summary>The export format with one record per accepted answer (sft, prompts), if the kind has one.</summary>
    public virtual string? AnswerRecordFormat => null;

    /// <summary>Why an accepted answer makes no <see cref="AnswerRecordFormat"/> record (an unchanged rewrite), or null.</summary>
    public virtual string? SkipAnswerRecord(object answer) => null;

    /// <summary>Writes the fields of one answer's <see cref="AnswerRecordFormat"/> record.</summary>
    public virtual void WriteAnswerRecord(Utf8JsonWriter w, AnswerRecord record) =>
        throw new NotSupportedException($"{Name} answers make no records of their own.");

    /// <summary>
    /// The preference pairs an item's answers give (preference formats), or the reason it gives none; null for kinds
    /// whose answers are not preferences.
    /// </summary>
    /// <param name="answers">The item's counted answers.</param>
    /// <param name="weights">Each answer's weight.</param>
    /// <param name="responseIds">The item's response ids.</param>
    /// <param name="label">The item's live label.</param>
    /// <param name="confidence">The live label's posterior.</param>
    /// <param name="bestWorstOnly">Only the best response against the worst, not every pair a majority agrees on.</param>
    public virtual PreferencePairs? Preferences(
        IReadOnlyList<object> answers, IReadOnlyList<double> weights, IReadOnlyList<string> responseIds, string? label, double? confidence, bool bestWorstOnly) => null;

    /// <summary>Reads a stored answer (or gold answer) of this kind.</summary>
    public object ParseAnswer(string json) => JsonSerializer.Deserialize(json, AnswerType, AnswerJson)!;

    /// <summary>An answer as stored.</summary>
    public string AnswerToJson(object answer) => JsonSerializer.Serialize(answer, AnswerType, AnswerJson);

    /// <summary>Checks the kind's fields of a submission and returns the answer to store; adds an error per bad field.</summary>
    /// <param name="responses">The item's responses (the original, for a rewrite).</param>
    public abstract object ValidateAnswer(Rubric rubric, IReadOnlyList<Response> responses, Submission submission, ErrorList errors);

    /// <summary>
    /// How well <paramref name="answer"/> matches <paramref name="reference"/> in [0,1] (against gold, or between an
    /// annotator's two answers to a repeated item); null when answers of this kind are not scored.
    /// </summary>
    public virtual double? Score(object answer, object reference) => null;

    /// <summary>An answer in words, for the annotator who gave it (their missed gold items); empty for free text.</summary>
    public virtual string DescribeAnswer(object answer) => "";

    /// <summary>Whether each answer is one label out of a fixed set, which gets a posterior and dynamic overlap.</summary>
    public virtual bool SingleLabel(Rubric rubric) => false;

    /// <summary>
    /// The one definition of an answer's class, used alike by live labels, annotator models, agreement and the gold
    /// confusion: what the answer says the item's label is. Null when the kind's answers are not single labels.
    /// </summary>
    public virtual string? AnswerLabel(object answer) => null;

    /// <summary>The values agreement between annotators is measured on (Krippendorff's α); empty when there is none per answer.</summary>
    public virtual IReadOnlyList<AgreementMeasure> AgreementMeasures(Rubric rubric) => [];

    /// <summary>How many classes a single-label answer can fall in.</summary>
    public virtual int ClassCount(Rubric rubric) => 0;

    /// <summary>
    /// The class an annotator model fits for an answer: its <see cref="AnswerLabel"/>, unless that names something
    /// that differs between items (pairwise response ids), which is then put as a position the items share.
    /// </summary>
    public virtual string ModelClass(object answer, IReadOnlyList<string> responseIds) => AnswerLabel(answer)!;

    /// <summary>The item label a model class stands for (the inverse of <see cref="ModelClass"/>).</summary>
    public virtual string LabelOfClass(string modelClass, IReadOnlyList<string> responseIds) => modelClass;

    /// <summary>
    /// The live label of an item whose answers are not single labels (JSON, with no posterior), from the answers
    /// that count and their weights; null for kinds whose answers are not aggregated.
    /// </summary>
    public virtual string? AggregateLabel(Rubric rubric, IReadOnlyList<object> answers, IReadOnlyList<double> weights, IReadOnlyList<string> responseIds) => null;

    /// <summary>The text the annotator starts from and changes are measured against (a rewrite's response), if any.</summary>
    public virtual string? DraftText(IReadOnlyList<Response> responses) => null;

    /// <summary>The <see cref="Rubric.Settings"/> this kind reads; any other is refused.</summary>
    public virtual IReadOnlyList<string> RubricSettings => [];

    /// <summary>The kind's defaults for what a rubric leaves out.</summary>
    public virtual Rubric WithDefaults(Rubric rubric) => rubric;

    /// <summary>Adds an error for each rubric field the kind needs and lacks, or has and does not use.</summary>
    public virtual void ValidateRubric(Rubric rubric, ErrorList errors)
    {
        if (rubric.Dimensions.Count > 0)
            errors.Add("rubric.dimensions", $"a {Name} project has no dimensions.");
        if (rubric.Labels.Count > 0)
            errors.Add("rubric.labels", $"a {Name} project has no labels.");
    }

    /// <summary>Keeps only the answer fields this kind reads (the workbench form posts them all).</summary>
    public Submission OwnFields(Submission s)
    {
        bool Reads(string field) => SubmissionFields.Contains(field, StringComparer.Ordinal);
        return s with
        {
            Choice = Reads("choice") ? s.Choice : null,
            Strength = Reads("strength") ? s.Strength : null,
            Dimensions = Reads("dimensions") ? s.Dimensions : null,
            Ranks = Reads("ranks") ? s.Ranks : null,
            Scores = Reads("scores") ? s.Scores : null,
            Text = Reads("text") ? s.Text : null,
            Labels = Reads("labels") ? s.Labels : null,
            Other = Reads("other") ? s.Other : null,
            IdealAnswer = Reads("idealAnswer") ? s.IdealAnswer : null,
        };
    }

    /// <summary>The answer fields a submission carries, by name.</summary>
    internal static IEnumerable<string> FieldsOf(Submission s)
    {
        if (s.Choice is not null)
            yield return "choice";
        if (s.Strength is not null)
            yield return "strength";
        if (s.Dimensions is not null)
            yield return "dimensions";
        if (s.Ranks is not null)
            yield return "ranks";
        if (s.Scores is not null)
            yield return "scores";
        if (s.Text is not null)
            yield return "text";
        if (s.Labels is not null)
            yield return "labels";
        if (s.Other is not null)
            yield return "other";
        if (s.IdealAnswer is not null)
            yield return "idealAnswer";
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>One accepted answer, with what its training record needs to say about the item and the annotator.</summary>
public sealed record AnswerRecord(string ExternalId, string Prompt, string? Reference, object Answer, string Annotator, int GuidelineVersion, Rubric Rubric);

/// <summary>The preference pairs of one item, or why it has none ("tie", "split-vote", "no-label").</summary>
public sealed record PreferencePairs(IReadOnlyList<PreferencePair> Pairs, string? Skipped);

/// <summary>One value agreement is measured on: its name, its value in an answer (null when the answer has none), its level.</summary>
public sealed record AgreementMeasure(string Name, Func<object, string?> Value, MeasurementLevel Level);

/// <summary>A kind whose answers are stored as <typeparamref name="TAnswer"/>; the typed hooks a kind implements.</summary>
public abstract class TaskKind<TAnswer> : TaskKind
    where TAnswer : class
{
    /// <inheritdoc/>
    public override Type AnswerType => typeof(TAnswer);

    /// <summary>Reads a stored answer of this kind.</summary>
    public TAnswer Parse(string json) => (TAnswer)ParseAnswer(json);

    /// <inheritdoc/>
    public sealed override object ValidateAnswer(Rubric rubric, IReadOnlyList<Response> responses, Submission submission, ErrorList errors) =>
        Validate(rubric, responses, submission, errors);

    /// <inheritdoc/>
    public sealed override double? Score(object answer, object reference) =>
        answer is TAnswer a && reference is TAnswer r
            ? Score(a, r)
            : throw new ArgumentException($"a {Name} answer is a {typeof(TAnswer).Name}, not a {answer.GetType().Name} against a {reference.GetType().Name}", nameof(answer));

    /// <inheritdoc/>
    public sealed override string? AnswerLabel(object answer) => Label((TAnswer)answer);

    /// <inheritdoc/>
    public sealed override string DescribeAnswer(object answer) => Describe((TAnswer)answer);

    /// <inheritdoc/>
    public sealed override string? AggregateLabel(Rubric rubric, IReadOnlyList<object> answers, IReadOnlyList<double> weights, IReadOnlyList<string> responseIds) =>
        Aggregate(rubric, [.. answers.Cast<TAnswer>()], weights, responseIds);

    /// <inheritdoc cref="TaskKind.ValidateAnswer"/>
    protected abstract TAnswer Validate(Rubric rubric, IReadOnlyList<Response> responses, Submission s, ErrorList errors);

    /// <inheritdoc cref="TaskKind.Score"/>
    protected virtual double? Score(TAnswer answer, TAnswer reference) => null;

    /// <inheritdoc cref="TaskKind.DescribeAnswer"/>
    protected virtual string Describe(TAnswer answer) => "";

    /// <inheritdoc cref="TaskKind.AnswerLabel"/>
    protected virtual string? Label(TAnswer answer) => null;

    /// <inheritdoc cref="TaskKind.AggregateLabel"/>
    protected virtual string? Aggregate(Rubric rubric, IReadOnlyList<TAnswer> answers, IReadOnlyList<double> weights, IReadOnlyList<string> responseIds) => null;
}
