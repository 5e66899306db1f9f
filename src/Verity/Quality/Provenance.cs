using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Core.Projects;
using Verity.Core.Quality;
using Verity.Data;
using Verity.Exports;
using Verity.Infrastructure;
using Verity.Labels;

namespace Verity.Quality;

/// <summary>Which quarantines stand: an annotator's latest quarantine, unless a restoration came after it.</summary>
public static class Quarantines
{
    public const int MaxReasonChars = 2_000;

    /// <summary>The quarantine in force per annotator. A restoration at the same instant as a quarantine lifts it.</summary>
    public static Dictionary<Guid, Quarantine> InForce(IEnumerable<Quarantine> quarantines, IEnumerable<(Guid Annotator, DateTime At)> restorations)
    {
        var restored = restorations.GroupBy(r => r.Annotator).ToDictionary(g => g.Key, g => g.Max(r => r.At));
        return quarantines
            .GroupBy(q => q.AnnotatorId)
            .Select(g => g.OrderBy(q => q.CreatedAt).Last())
            .Where(q => !restored.TryGetValue(q.AnnotatorId, out var at) || q.CreatedAt > at)
            .ToDictionary(q => q.AnnotatorId);
    }

    public static string Evidence(Quarantine quarantine) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"quarantined {quarantine.CreatedAt:yyyy-MM-dd HH:mm} UTC: {quarantine.Reason}");
}

/// <summary>One exported item whose record(s) an annotator's answers decided.</summary>
/// <param name="Change">changed (another record), dropped (no record without them) or added (a record only without them).</param>
/// <param name="With">The item's records with their answers, in short form (preference: "chosen>rejected"; classification:
/// the labels; ratings: each dimension's median; sft: the annotator).</param>
/// <param name="Without">The same without their answers.</param>
public sealed record DecidedRecord(string ExternalId, string Change, IReadOnlyList<string> With, IReadOnlyList<string> Without);

/// <summary>What an annotator's answers decided in one export format.</summary>
public sealed record FormatInfluence(string Format, int Decided, IReadOnlyList<DecidedRecord> Records);

/// <summary>Which exported records an annotator's answers decided, per export format that aggregates.</summary>
/// <param name="Items">How many counted (not gold, rejected or repeat) items they answered.</param>
public sealed record Influence(string Annotator, string Status, int Items, IReadOnlyList<FormatInfluence> Formats);

/// <summary>What removing one annotator would do to the export.</summary>
public sealed record AuditEntry(string Annotator, string Status, int Items, int Changed, int Dropped, int Added);

/// <summary>A leave-one-annotator-out audit of one export format, the most decisive annotators first.</summary>
public sealed record ExportAudit(string Format, int Records, IReadOnlyList<AuditEntry> Annotators);

public sealed record QuarantineRequest(string? Reason);

/// <summary>
/// Quarantine, influence and the leave-one-annotator-out audit. Influence and audit compare the export of the items
/// an annotator answered under the project's annotator model with and without their answers, recomputing each item's
/// live label under both (so, for fitted methods, from the stored matrices rather than the fit's own posterior); only
/// those items are read, so the audit costs one pass over the export plus one per annotator over their own items.
/// </summary>
public sealed class Provenance(VerityDbContext db, ExportService exports, QualityRefresh quality, TimeProvider clock, Security.Pseudonyms pseudonyms)
{
    /// <summary>Records a quarantine and recomputes the project's measures and live labels, so it takes effect at once.</summary>
    public async Task QuarantineAsync(Project project, string pseudonym, string? reason, Guid decidedBy, CancellationToken cancellationToken = default)
    {
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > Quarantines.MaxReasonChars)
            throw ValidationException.For("reason", $"is required (1–{Quarantines.MaxReasonChars:N0} characters): say why, for the record.");
        var annotator = await AnnotatorAsync(project.Id, pseudonym, cancellationToken);
        db.Quarantines.Add(new Quarantine
        {
            Id = Guid.CreateVersion7(),
            ProjectId = project.Id,
            AnnotatorId = annotator,
            DecidedById = decidedBy,
            Reason = reason,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
        await quality.RefreshIfStaleAsync(project, cancellationToken);
    }

    /// <summary>The records the annotator's answers decided, in every format of the project that aggregates answers.</summary>
    public async Task<Influence> InfluenceAsync(Project project, string pseudonym, CancellationToken cancellationToken = default)
    {
        await quality.RefreshIfStaleAsync(project, cancellationToken);
        var annotator = await AnnotatorAsync(project.Id, pseudonym, cancellationToken);
        var report = await db.AnnotatorQuality.AsNoTracking()
            .Where(q => q.ProjectId == project.Id && q.AnnotatorId == annotator)
            .Select(q => q.ReportJson)
            .FirstOrDefaultAsync(cancellationToken) is { } json ? JsonSerializer.Deserialize<AnnotatorReport>(json, Json.Options) : null;
        var items = (await AnsweredAsync(project.Id, cancellationToken)).Where(a => a.Annotator == annotator).Select(a => a.Item).ToList();
        var model = await LabelModel.LoadAsync(db, project, annotators: null, cancellationToken);
        var formats = new List<FormatInfluence>();
        foreach (var format in Formats(project.Kind))
        {
            // Counted at their trust even when quarantined, so the page shows what they would decide if restored.
            var with = await RecordsAsync(project, format, new ExportService.WhatIf(items, model.Counting(annotator, report?.Trust ?? Trust.Unknown)), cancellationToken);
            var without = await RecordsAsync(project, format, new ExportService.WhatIf(items, model.Excluding(annotator)), cancellationToken);
            var decided = Compare(with.Records, without.Records);
            formats.Add(new FormatInfluence(format, decided.Count, decided));
        }

        return new Influence(pseudonym, report?.Status ?? QualityRules.Active, items.Count, formats);
    }

    /// <summary>
    /// For every annotator whose answers count, how many of the export's records would change, vanish or appear
    /// without them; the most decisive first.
    /// </summary>
    public async Task<ExportAudit> AuditAsync(Project project, string? format, CancellationToken cancellationToken = default)
    {
        var formats = Formats(project.Kind);
        format ??= formats[0];
        if (!formats.Contains(format, StringComparer.Ordinal))
            throw ValidationException.For("format", $"must be one of: {string.Join(", ", formats)} for a {project.Kind} project.");
        await quality.RefreshIfStaleAsync(project, cancellationToken);
        var model = await LabelModel.LoadAsync(db, project, annotators: null, cancellationToken);
        var reports = (await quality.ReportsAsync(project.Id, cancellationToken)).ToDictionary(r => r.Annotator, StringComparer.Ordinal);
        var answered = await AnsweredAsync(project.Id, cancellationToken);
        var baseline = await RecordsAsync(project, format, new ExportService.WhatIf(null, model), cancellationToken);
        var entries = new List<AuditEntry>();
        foreach (var group in answered.GroupBy(a => (a.Annotator, a.Pseudonym)).Where(g => model.Counts(g.Key.Annotator)))
        {
            var items = group.Select(a => a.Item).ToList();
            var without = await RecordsAsync(project, format, new ExportService.WhatIf(items, model.Excluding(group.Key.Annotator)), cancellationToken);
            var theirs = group.Select(a => a.ExternalId).ToHashSet(StringComparer.Ordinal);
            var decided = Compare(baseline.Records.Where(r => theirs.Contains(r.Key)).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal), without.Records);
            entries.Add(new AuditEntry(
                group.Key.Pseudonym,
                reports.TryGetValue(group.Key.Pseudonym, out var report) ? report.Status : QualityRules.Active,
                items.Count,
                decided.Count(d => d.Change == "changed"),
                decided.Count(d => d.Change == "dropped"),
                decided.Count(d => d.Change == "added")));
        }

        return new ExportAudit(format, baseline.Count, [.. entries
            .OrderByDescending(e => e.Changed).ThenByDescending(e => e.Dropped).ThenByDescending(e => e.Added).ThenBy(e => e.Annotator, StringComparer.Ordinal)]);
    }

    /// <summary>The export formats whose records depend on more than one annotator's answer, and sft (one record per answer).</summary>
    /// <remarks>preference-chat carries the same decisions as preference and is not listed twice.</remarks>
    public static IReadOnlyList<string> Formats(string kind) =>
        [.. TaskKind.Named(kind).ExportFormats.Where(f => f is not ("annotations" or "preference-chat"))];

    private async Task<Guid> AnnotatorAsync(Guid projectId, string pseudonym, CancellationToken cancellationToken) =>
        await pseudonyms.FindAnnotatorAsync(db, projectId, pseudonym, cancellationToken)
            ?? throw new NotFoundException($"No annotator {pseudonym} in this project.");

    private sealed record Answered(Guid Annotator, string Pseudonym, Guid Item, string ExternalId);

    /// <summary>Who answered which exportable item (not gold), counting neither rejected answers nor repeats.</summary>
    private async Task<List<Answered>> AnsweredAsync(Guid projectId, CancellationToken cancellationToken)
    {
        var pseudonym = await pseudonyms.ForProjectAsync(projectId, cancellationToken);
        return (await db.LatestAnnotations.AsNoTracking()
                .Where(a => a.ProjectId == projectId && !db.Assignments.Any(s => s.Id == a.AssignmentId && (s.Rejected || s.IsRepeat)))
                .Join(db.Items.Where(i => !i.IsGold), a => a.ItemId, i => i.Id, (a, i) => new { a.AnnotatorId, a.ItemId, i.ExternalId })
                .ToListAsync(cancellationToken))
            .Select(x => new Answered(x.AnnotatorId, pseudonym(x.AnnotatorId), x.ItemId, x.ExternalId))
            .Distinct()
            .ToList();
    }

    private sealed record Export(int Count, Dictionary<string, List<string>> Records);

    /// <summary>The what-if export, each item's records in short form, in order.</summary>
    private async Task<Export> RecordsAsync(Project project, string format, ExportService.WhatIf whatIf, CancellationToken cancellationToken)
    {
        using var output = new MemoryStream();
        var summary = await exports.WriteWhatIfAsync(project, format, output, whatIf, cancellationToken);
        output.Position = 0;
        using var reader = new StreamReader(output);
        var records = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            using var document = JsonDocument.Parse(line);
            var record = document.RootElement;
            var externalId = record.GetProperty("externalId").GetString()!;
            if (!records.TryGetValue(externalId, out var list))
                records[externalId] = list = [];
            list.Add(Short(format, record));
        }

        return new Export(summary.Records, records);
    }

    private static string Short(string format, JsonElement record) => format switch
    {
        "preference" => $"{record.GetProperty("chosenId").GetString()}>{record.GetProperty("rejectedId").GetString()}",
        "classification" => string.Join("|", record.GetProperty("labels").EnumerateArray().Select(l => l.GetString())),
        "ratings" => string.Join(",", record.GetProperty("scores").EnumerateObject()
            .Select(d => $"{d.Name}={(d.Value.ValueKind == JsonValueKind.Null ? "n/a" : d.Value.GetProperty("median").GetRawText())}")),
        "sft" => record.GetProperty("annotator").GetString()!,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not an aggregating format"),
    };

    private static List<DecidedRecord> Compare(Dictionary<string, List<string>> with, Dictionary<string, List<string>> without) =>
        [.. with.Keys.Union(without.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(id => (Id: id, With: with.GetValueOrDefault(id) ?? [], Without: without.GetValueOrDefault(id) ?? []))
            .Where(r => !r.With.SequenceEqual(r.Without, StringComparer.Ordinal))
            .Select(r => new DecidedRecord(r.Id, r.Without.Count == 0 ? "dropped" : r.With.Count == 0 ? "added" : "changed", r.With, r.Without))];
}

internal static class ProvenanceApi
{
    public static RouteGroupBuilder MapProvenanceApi(this RouteGroupBuilder api)
    {
        api.MapPost("/projects/{id:guid}/annotators/{pseudonym}/quarantine", QuarantineAsync)
            .WithTags("Quality")
            .WithName("QuarantineAnnotator")
            .WithSummary("Hold an annotator's labels out of the project's labels and exports, with a reason (owner). Recorded, never deleted; "
                + "live labels are recomputed at once; POST .../restore lifts it.")
            .RequireAuthorization(Policies.OwnProject);
        api.MapGet("/projects/{id:guid}/annotators/{pseudonym}/influence", InfluenceAsync)
            .WithTags("Quality")
            .WithName("AnnotatorInfluence")
            .WithSummary("Which exported records an annotator's answers decided, per export format: records that change, vanish or appear without them (owner).")
            .RequireAuthorization(Policies.OwnProject);
        api.MapGet("/projects/{id:guid}/audit", AuditAsync)
            .WithTags("Quality")
            .WithName("ExportAudit")
            .WithSummary("Leave-one-annotator-out audit of an export (format=, default the project's first): per annotator, how many records "
                + "would change, vanish or appear without their answers, the most decisive first (owner).")
            .RequireAuthorization(Policies.OwnProject);
        return api;
    }

    private static async Task<NoContent> QuarantineAsync(
        string pseudonym, QuarantineRequest request, HttpContext context, Provenance provenance, Security.AuditLog audit, CancellationToken cancellationToken)
    {
        await provenance.QuarantineAsync(context.AuthorizedProject(), pseudonym, request.Reason, context.User.UserId(), cancellationToken);
        await audit.RecordAsync(Security.AuditKinds.Quarantined, context.AuthorizedProject().Id, pseudonym, request.Reason, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<Influence>> InfluenceAsync(string pseudonym, HttpContext context, Provenance provenance, CancellationToken cancellationToken) =>
        TypedResults.Ok(await provenance.InfluenceAsync(context.AuthorizedProject(), pseudonym, cancellationToken));

    private static async Task<Ok<ExportAudit>> AuditAsync(string? format, HttpContext context, Provenance provenance, CancellationToken cancellationToken) =>
        TypedResults.Ok(await provenance.AuditAsync(context.AuthorizedProject(), format, cancellationToken));
}
