using System.Text.Json;
using System.Text.Json.Serialization;

namespace Verity.Core.Projects;

/// <summary>
/// A project's answer schema: rating dimensions with scales and anchors, classification labels, flags, and the
/// per-kind options. Stored as JSON; validated on project create so annotators never meet a broken form.
/// </summary>
public sealed record Rubric
{
    /// <summary>Rating dimensions (rating), or per-dimension choices (pairwise, optional).</summary>
    public IReadOnlyList<Dimension> Dimensions { get; init; } = [];

    /// <summary>The label set of a classification project.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Classification: more than one label per item.</summary>
    public bool MultiLabel { get; init; }

    /// <summary>Classification: a free-text "other" answer is accepted.</summary>
    public bool AllowOther { get; init; }

    /// <summary>Ranking: responses may share a rank.</summary>
    public bool AllowTies { get; init; }

    /// <summary>Demonstration and rewrite: the shortest text accepted.</summary>
    public int MinChars { get; init; } = 50;

    /// <summary>Settings only some kinds read (prompt writing: category and difficulty), each checked by the kind.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Flags annotators may raise on any item.</summary>
    public IReadOnlyList<Flag> Flags { get; init; } = DefaultFlags;

    /// <summary>Unsafe, personal data, factually wrong, cannot assess; unsafe and personal data escalate.</summary>
    public static readonly IReadOnlyList<Flag> DefaultFlags =
    [
        new("unsafe", "Unsafe", Escalate: true),
        new("personal-data", "Contains personal data", Escalate: true),
        new("factually-wrong", "Factually wrong", Escalate: false),
        new("cannot-assess", "Cannot assess", Escalate: false, NoAnswer: true),
    ];

    /// <summary>Why an annotator may give an item back without answering; a flag with <see cref="Flag.NoAnswer"/> is one more.</summary>
    public IReadOnlyList<SkipOption> SkipReasons { get; init; } = DefaultSkipReasons;

    /// <summary>Outside my expertise, unclear, broken, too long.</summary>
    public static readonly IReadOnlyList<SkipOption> DefaultSkipReasons =
    [
        new("outside-expertise", "Outside my expertise"),
        new("unclear", "The prompt or responses are unclear"),
        new("broken", "The item is broken or unreadable"),
        new("too-long", "Too long to do well now"),
    ];

    /// <summary>Dimensions used when a rating project gives none.</summary>
    public static readonly IReadOnlyList<Dimension> DefaultRatingDimensions =
    [
        new("accuracy", "Factual accuracy"),
        new("instructions", "Instruction adherence"),
        new("completeness", "Completeness"),
        new("tone", "Tone"),
        new("safety", "Safety"),
    ];

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Parses and validates a rubric for a kind; null or empty JSON gives the kind's defaults.</summary>
    public static Rubric Parse(string? json, string kind)
    {
        Rubric rubric;
        try
        {
            rubric = string.IsNullOrWhiteSpace(json) ? new Rubric() : JsonSerializer.Deserialize<Rubric>(json, Options) ?? new Rubric();
        }
        catch (JsonException e)
        {
            throw ValidationException.For($"rubric{e.Path?.TrimStart('$')}", e.Message.Split(" Path:")[0]);
        }

        // An explicit JSON null means "none given", the same as leaving the field out.
        rubric = rubric with { Dimensions = rubric.Dimensions ?? [], Labels = rubric.Labels ?? [], Flags = rubric.Flags ?? DefaultFlags, SkipReasons = rubric.SkipReasons ?? DefaultSkipReasons, Settings = rubric.Settings ?? new Dictionary<string, string>(StringComparer.Ordinal) };
        var taskKind = TaskKind.Named(kind);
        rubric = taskKind.WithDefaults(rubric);
        rubric.Validate(taskKind);
        return rubric;
    }

    /// <summary>The rubric as stored.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options);

    private void Validate(TaskKind kind)
    {
        var errors = new ErrorList();
        Unique(Dimensions.Select(d => d.Name), "rubric.dimensions", errors);
        for (var i = 0; i < Dimensions.Count; i++)
            Dimensions[i].Validate($"rubric.dimensions[{i}]", errors);
        if (Dimensions.Count > 20)
            errors.Add("rubric.dimensions", "at most 20 dimensions.");
        kind.ValidateRubric(this, errors);
        foreach (var key in Settings.Keys.Where(k => !kind.RubricSettings.Contains(k, StringComparer.Ordinal)))
            errors.Add($"rubric.settings.{key}", $"is not a setting of a {kind} project.");

        Unique(Labels, "rubric.labels", errors);
        for (var i = 0; i < Labels.Count; i++)
        {
            if (!IsName(Labels[i]))
                errors.Add($"rubric.labels[{i}]", "must be 1–60 characters of letters, digits, '-' or '_'.");
        }

        Unique(Flags.Select(f => f.Name), "rubric.flags", errors);
        for (var i = 0; i < Flags.Count; i++)
        {
            if (!IsName(Flags[i].Name))
                errors.Add($"rubric.flags[{i}].name", "must be 1–60 characters of letters, digits, '-' or '_'.");
        }

        Unique(SkipReasons.Select(r => r.Name).Concat(Flags.Where(f => f.NoAnswer).Select(f => f.Name)), "rubric.skipReasons", errors);
        for (var i = 0; i < SkipReasons.Count; i++)
        {
            if (!IsName(SkipReasons[i].Name))
                errors.Add($"rubric.skipReasons[{i}].name", "must be 1–60 characters of letters, digits, '-' or '_'.");
        }

        if (MinChars is < 1 or > 20_000)
            errors.Add("rubric.minChars", "must be between 1 and 20,000.");
        errors.ThrowIfAny();
    }

    private static void Unique(IEnumerable<string> names, string field, ErrorList errors)
    {
        foreach (var duplicate in names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
            errors.Add(field, $"\"{duplicate.Key}\" appears more than once.");
    }

    internal static bool IsName(string? name) =>
        name is { Length: > 0 and <= 60 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

/// <summary>One rubric dimension: a scale from Min to Max, an anchor text per level, and whether N/A is allowed.</summary>
public sealed record Dimension(string Name, string? Label = null, int Min = 1, int Max = 5, IReadOnlyDictionary<string, string>? Anchors = null, bool AllowNa = false)
{
    /// <summary>What annotators read.</summary>
    public string Title => string.IsNullOrWhiteSpace(Label) ? Name : Label;

    /// <summary>The anchor text for a level, if any.</summary>
    public string? Anchor(int level) => Anchors is not null && Anchors.TryGetValue(level.ToString(System.Globalization.CultureInfo.InvariantCulture), out var text) ? text : null;

    internal void Validate(string path, ErrorList errors)
    {
        if (!Rubric.IsName(Name))
            errors.Add($"{path}.name", "must be 1–60 characters of letters, digits, '-' or '_'.");
        if (Min < 0 || Max <= Min || Max - Min > 10)
            errors.Add($"{path}", $"scale {Min}..{Max} must have 2 to 11 levels starting at 0 or more.");
        foreach (var key in Anchors?.Keys ?? [])
        {
            if (!int.TryParse(key, System.Globalization.CultureInfo.InvariantCulture, out var level) || level < Min || level > Max)
                errors.Add($"{path}.anchors.{key}", $"is not a level of the scale {Min}..{Max}.");
        }
    }
}

/// <summary>
/// A flag annotators can raise; an escalating flag puts the item in the owner's queue. A <paramref name="NoAnswer"/>
/// flag (the item cannot be assessed) may be raised without answering: the item is then skipped with the flag as reason.
/// </summary>
public sealed record Flag(string Name, string? Label = null, bool Escalate = false, bool NoAnswer = false)
{
    /// <summary>What annotators read.</summary>
    public string Title => string.IsNullOrWhiteSpace(Label) ? Name : Label;
}

/// <summary>A reason the project offers for skipping an item.</summary>
public sealed record SkipOption(string Name, string? Label = null)
{
    /// <summary>What annotators read.</summary>
    public string Title => string.IsNullOrWhiteSpace(Label) ? Name : Label;
}
