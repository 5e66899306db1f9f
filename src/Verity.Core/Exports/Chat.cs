using System.Text.Json;

namespace Verity.Core.Exports;

/// <summary>The conversation shape chat trainers load: a user turn with the prompt, an assistant turn with the reply.</summary>
public static class Chat
{
    /// <summary>Writes <c>"name": [{"role":"user","content":prompt},{"role":"assistant","content":reply}]</c>.</summary>
    public static void Write(Utf8JsonWriter w, string name, string prompt, string reply)
    {
        w.WriteStartArray(name);
        foreach (var (role, content) in new[] { ("user", prompt), ("assistant", reply) })
        {
            w.WriteStartObject();
            w.WriteString("role", role);
            w.WriteString("content", content);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
