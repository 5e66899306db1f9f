namespace Verity.Core.Workforce;

/// <summary>How an assessment attempt is scored: every question counts the same, and an unanswered (or late) one scores 0.</summary>
public static class AssessmentScoring
{
    /// <summary>The mean score over all <paramref name="questions"/>; <paramref name="scores"/> are the answered ones' scores (0–1).</summary>
    public static double Score(int questions, IEnumerable<double> scores) =>
        questions == 0 ? 0 : Math.Clamp(scores.Sum() / questions, 0, 1);

    /// <summary>Whether a score passes; scores are compared to a millionth so that 7/10 passes 0.7.</summary>
    public static bool Passes(double score, double passScore) => score >= passScore - 1e-6;
}
