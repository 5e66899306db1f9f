using System.Net;
using System.Text.RegularExpressions;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Security;

/// <summary>An HTTP client that signs in through the login form, as a browser does, and keeps the cookie.</summary>
public static partial class CookieClient
{
    public static async Task<HttpClient> SignInAsync(VerityServer server, string name, string password)
    {
        var client = New(server, new CookieContainer());
        var response = await PostLoginAsync(client, name, password);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return client;
    }

    public static HttpClient New(VerityServer server, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };

    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string name, string password)
    {
        var token = AntiforgeryToken(await client.GetStringAsync("/login"));
        return await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Name"] = name,
            ["Password"] = password,
            ["__RequestVerificationToken"] = token,
        }));
    }

    public static string AntiforgeryToken(string html) => TokenField().Match(html).Groups["token"].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"(?<token>[^\"]+)\"", RegexOptions.ExplicitCapture, 1000)]
    private static partial Regex TokenField();
}
