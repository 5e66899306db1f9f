namespace Verity.Core.Workforce;

/// <summary>What a project is for.</summary>
public static class Purposes
{
    /// <summary>Real work, labelled and exported.</summary>
    public const string Work = "work";

    /// <summary>A test whose pass qualifies the person for the project's track at the first tier.</summary>
    public const string Assessment = "assessment";

    /// <summary>Both purposes.</summary>
    public static readonly IReadOnlyList<string> All = [Work, Assessment];
}

/// <summary>A person's tier in one track, as the access rules read it.</summary>
/// <param name="TrackId">The track's id.</param>
/// <param name="Tier">1 is the first tier.</param>
public sealed record TrackTier(string TrackId, int Tier);

/// <summary>Which tracks and tier a project needs.</summary>
/// <param name="Tracks">Track ids, any one of which suffices; empty: any admitted person.</param>
/// <param name="MinTier">The lowest tier that may work, in one of <paramref name="Tracks"/>.</param>
public sealed record AccessSettings(IReadOnlyList<string>? Tracks = null, int MinTier = 1)
{
    /// <summary>Track ids as stored: space-separated.</summary>
    public static IReadOnlyList<string> Parse(string stored) => stored.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Track ids as stored.</summary>
    public static string Store(IEnumerable<string> tracks) => string.Join(' ', tracks.Distinct(StringComparer.Ordinal));

    /// <summary>Adds an error, naming the field, for each setting out of range (tracks that do not exist are the caller's check).</summary>
    public void Validate(ErrorList errors)
    {
        if ((Tracks ?? []).Any(t => string.IsNullOrWhiteSpace(t) || t.Length > 40 || t.Contains(' ', StringComparison.Ordinal)))
            errors.Add("access.tracks", "must be track ids (GET /api/v1/tracks).");
        if (MinTier is < 1 or > 10)
            errors.Add("access.minTier", "must be between 1 and 10.");
    }
}

/// <summary>The rule deciding who may see and work on a project.</summary>
public static class ProjectAccess
{
    /// <summary>Why a person with these qualifications may not work on a project needing these tracks and tier; null when they may.</summary>
    public static string? Refusal(IReadOnlyList<string> tracks, int minTier, IReadOnlyList<TrackTier> qualifications)
    {
        if (qualifications.Count == 0)
            return "You are not admitted yet: pass the Starter Assessment to work on projects.";
        var eligible = tracks.Count == 0 ? qualifications : qualifications.Where(q => tracks.Contains(q.TrackId, StringComparer.Ordinal)).ToList();
        if (eligible.Count == 0)
            return $"This project is for people qualified in {string.Join(" or ", tracks)}; you are not. Pass that track's assessment first.";
        var best = eligible.Max(q => q.Tier);
        return best < minTier
            ? $"This project needs tier {minTier} or higher{(tracks.Count == 0 ? "" : $" in {string.Join(" or ", tracks)}")}; you are at tier {best}."
            : null;
    }

    /// <summary>
    /// Why a person may not take an assessment for <paramref name="track"/>; null when they may. The Starter Assessment
    /// (<paramref name="starterTrack"/>) is open to everyone not yet qualified in it; a specialised track's assessment to
    /// admitted people who applied for the track.
    /// </summary>
    public static string? AssessmentRefusal(string track, string starterTrack, IReadOnlyList<TrackTier> qualifications, IReadOnlyList<string> appliedTracks)
    {
        if (qualifications.Any(q => q.TrackId == track))
            return $"You are already qualified for {track}.";
        if (track == starterTrack)
            return null;
        if (qualifications.Count == 0)
            return "Pass the Starter Assessment first; specialised assessments follow it.";
        return appliedTracks.Contains(track, StringComparer.Ordinal) ? null : $"You did not apply for the {track} track.";
    }
}
