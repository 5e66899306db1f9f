using System.Text.Json;

namespace Verity.Infrastructure;

/// <summary>The JSON conventions of the API, exports and stored JSON columns: camelCase, strict on input.</summary>
internal static class Json
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        // An unknown field is almost always a typo; silently dropping it would lose the requester's intent.
        options.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
        return options;
    }
}
