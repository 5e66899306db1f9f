namespace Verity.Workforce.Pages;

/// <summary>What the annotator's home page shows about their standing and assessments.</summary>
/// <param name="Refusal">Why the last start was refused, if it was.</param>
public sealed record StandingPanel(MeView Me, IReadOnlyList<AssessmentListing> Assessments, string? Refusal);
