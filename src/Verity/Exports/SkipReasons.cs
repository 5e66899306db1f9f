namespace Verity.Exports;

/// <summary>What each reason an export leaves an item or answer out (<c>X-Verity-Skipped</c>) means, in the owner's words.</summary>
internal static class SkipReasons
{
    private static readonly Dictionary<string, string> Explained = new(StringComparer.Ordinal)
    {
        ["not-enough-annotations"] = "The item has fewer counted answers than its overlap asks for; it is exported once they come.",
        ["split-vote"] = "The annotators disagree: no label reaches more than half the weight of the answers. Send it to review or raise the overlap.",
        ["no-label"] = "No answer that counts gives the item a label (for example, every answer was rejected or came from an excluded annotator).",
        ["tie"] = "The label is a tie: neither response is preferred, so there is no pair to export.",
        ["escalated"] = "An annotator flagged it as unsafe or as containing personal data; it stays out until you deal with the escalation.",
        ["excluded-annotator"] = "The answer is by an annotator whose answers do not count (removed, weighed zero by a rule, or quarantined).",
        ["unchanged-rewrite"] = "The rewrite is identical to the original response, so it teaches nothing.",
        ["scan-secret"] = "The written text contains what looks like a secret (a key, a token, a password).",
        ["scan-insecure-code"] = "The written text contains known insecure code (eval, shell=True, disabled certificate checks, ...).",
        ["scan-link"] = "The written text contains a link or bare domain.",
        ["scan-near-duplicate"] = "The text is a near copy of another annotator's text on a different item.",
    };

    public static string Explain(string reason) =>
        Explained.TryGetValue(reason, out var text) ? text : "See docs/quality.md and the README's section on exports.";
}
