using System.Globalization;

namespace Verity.Core.Simulation;

/// <summary>
/// Writes an annotator's rationale. Everyone but the copiers writes varied sentences that name the subject and words
/// of both responses, so a rationale-quality detector has no reason to flag honest work; colluding adversaries fill
/// their group's shared templates; copiers paste one text.
/// </summary>
public static class Rationales
{
    /// <summary>What the copying adversaries paste under every answer.</summary>
    public const string Pasted = "This response is clear, direct and practical, while the other one adds needless caveats and is harder to follow.";

    private static readonly string[] Openers =
    [
        "Response {c} is the one I would want to receive:",
        "I chose {c} after reading both carefully;",
        "{C} answers what was asked about {s}:",
        "Between the two, {c} is preferable for {s};",
        "My pick is {c} here;",
        "Reading the question about {s}, {c} fits better:",
        "Going with {c}.",
        "The {s} question is handled well by {c};",
    ];

    private static readonly string[] Reasons =
    [
        "it mentions {w1} and {w2}, which is what matters for {s}",
        "its point about {w1} is concrete and the advice on {w2} is usable",
        "it says something specific about {w1} instead of talking around {s}",
        "the part on {w1} is accurate and {w2} gives a clear next step",
        "it covers {w1} and explains {w2} without padding",
        "the mention of {w1} shows it understood the question on {s}",
        "{w1} and {w2} are both addressed directly",
        "it gets the facts on {w1} right and stays on {s}",
    ];

    private static readonly string[] Closers =
    [
        "The other one, with {o}, is weaker.",
        "By contrast the answer about {o} misses the point.",
        "The alternative leans on {o} and helps less.",
        "{O} in the other response does not help the person asking.",
        "I would not rely on the other's {o}.",
        "The other reply's {o} is vague in comparison.",
    ];

    // A colluding group agreed on these before starting; every member fills them the same way.
    private static readonly string[] GroupTemplates =
    [
        "Response {c} handles {s} in a direct, practical way; the other adds needless caveats and is less useful.",
        "For {s}, {c} is more direct and practical; the alternative hedges and is less useful overall.",
    ];

    /// <summary>The rationale for choosing <paramref name="choice"/> on <paramref name="item"/>.</summary>
    public static string Write(SimAnnotator annotator, SimItem item, string choice, Random random)
    {
        if (annotator.SharedRationale)
            return Pasted;
        var other = item.Texts.Keys.First(id => id != choice);
        if (annotator.Group is not null && annotator.Adversary)
            return Fill(GroupTemplates[random.Next(GroupTemplates.Length)], choice, item.Subject, "", "", "");

        var chosenWords = ContentWords(item.Texts[choice], item.Subject);
        var otherWords = ContentWords(item.Texts[other], item.Subject);
        string Word(List<string> words, string fallback) => words.Count == 0 ? fallback : words[random.Next(words.Count)];
        var w1 = Word(chosenWords, item.Subject);
        var w2 = Word(chosenWords.Where(w => w != w1).ToList(), item.Topic);
        var text = $"{Openers[random.Next(Openers.Length)]} {Reasons[random.Next(Reasons.Length)]}. {Closers[random.Next(Closers.Length)]}";
        return Fill(text, choice, item.Subject, w1, w2, Word(otherWords, "its wording"));
    }

    private static string Fill(string template, string choice, string subject, string w1, string w2, string otherWord) =>
        template
            .Replace("{c}", choice.ToUpperInvariant(), StringComparison.Ordinal)
            .Replace("{C}", "Response " + choice.ToUpperInvariant(), StringComparison.Ordinal)
            .Replace("{s}", subject, StringComparison.Ordinal)
            .Replace("{w1}", $"\"{w1}\"", StringComparison.Ordinal)
            .Replace("{w2}", $"\"{w2}\"", StringComparison.Ordinal)
            .Replace("{o}", $"\"{otherWord}\"", StringComparison.Ordinal)
            .Replace("{O}", $"\"{CultureInfo.InvariantCulture.TextInfo.ToTitleCase(otherWord)}\"", StringComparison.Ordinal);

    /// <summary>Distinct words of five letters or more, not part of the subject.</summary>
    private static List<string> ContentWords(string text, string subject) =>
    [
        .. text.Split([' ', ',', '.', ';', ':', '?', '!', '\'', '"', '(', ')'], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.ToLowerInvariant())
            .Where(w => w.Length >= 5 && !subject.Contains(w, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal),
    ];
}
