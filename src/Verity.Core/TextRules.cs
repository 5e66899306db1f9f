namespace Verity.Core;

/// <summary>
/// Characters refused in names and ids: control characters (NUL included), bidirectional overrides and isolates,
/// which make a name display as a different one, and zero-width characters, which make two names look the same.
/// Free text (prompts, responses, rationales) may hold them; it is always shown escaped.
/// </summary>
public static class TextRules
{
    /// <summary>Why the text is refused as a name or id, or null when it is acceptable.</summary>
    public static string? Unsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
                return $"must not contain control characters (found U+{(int)c:X4}).";
            if (c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C')
                return $"must not contain bidirectional control characters (found U+{(int)c:X4}).";
            if (c is >= '\u200B' and <= '\u200D' or '\u2060' or '\uFEFF' or '\u00AD')
                return $"must not contain invisible characters (found U+{(int)c:X4}).";
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(c))
                return "must not contain unpaired surrogates.";
        }

        return null;
    }
}
