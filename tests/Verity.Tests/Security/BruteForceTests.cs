using System.Net;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Security;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Security;

/// <summary>Issue 11, item 5: per-account back-off, only attempts count, a configured proxy is believed, HSTS and Secure cookies over TLS.</summary>
public sealed class BruteForceTests
{
    private const string Password = "correct horse battery";

    [Theory]
    [Databases]
    public async Task failed_sign_ins_make_the_account_wait_longer_each_time_whatever_the_address(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        await server.AddUserAsync("victim", Roles.Requester, Password);
        using var attacker = CookieClient.New(server, new CookieContainer());

        for (var i = 0; i < 5; i++)
            (await CookieClient.PostLoginAsync(attacker, "victim", $"guess {i}")).StatusCode.ShouldBe(HttpStatusCode.OK, "the allowance: the form again");
        (await CookieClient.PostLoginAsync(attacker, "victim", "guess 5")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Now the account waits 1 s; even the right password is not checked until then.
        var blocked = await CookieClient.PostLoginAsync(attacker, "victim", Password);
        blocked.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        blocked.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        (await CookieClient.PostLoginAsync(attacker, "victim", "guess 6")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CookieClient.PostLoginAsync(attacker, "victim", Password)).Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(2), "each failure doubles the wait");

        server.Clock.Advance(TimeSpan.FromSeconds(2));
        (await CookieClient.PostLoginAsync(attacker, "victim", Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect, "the owner gets in once the wait is over");
        (await server.QueryAsync(db => db.Users.SingleAsync(u => u.Name == "victim"))).FailedSignIns.ShouldBe(0);
        var kinds = await server.QueryAsync(db => db.AuditEvents.Select(e => e.Kind).ToListAsync());
        kinds.Count(k => k == AuditKinds.SignInFailed).ShouldBe(7);
        kinds.Count(k => k == AuditKinds.SignInThrottled).ShouldBe(2);
        kinds.Count(k => k == AuditKinds.SignIn).ShouldBe(1);
    }

    [Fact]
    public async Task an_unknown_name_gets_the_same_answer_as_a_wrong_password()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        await server.AddUserAsync("real", Roles.Requester, Password);
        using var client = CookieClient.New(server, new CookieContainer());
        var known = await CookieClient.PostLoginAsync(client, "real", "wrong password");
        var unknown = await CookieClient.PostLoginAsync(client, "ghost", "wrong password");
        unknown.StatusCode.ShouldBe(known.StatusCode);
        (await unknown.Content.ReadAsStringAsync()).ShouldContain("Unknown name or wrong password.");
        (await known.Content.ReadAsStringAsync()).ShouldContain("Unknown name or wrong password.");
        (await server.QueryAsync(db => db.AuditEvents.Where(e => e.Kind == AuditKinds.SignInFailed).Select(e => e.ActorName).ToListAsync())).ShouldBe(["real", "ghost"]);
    }

    [Fact]
    public async Task the_address_limit_counts_attempts_not_page_views()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite, settings: new Dictionary<string, string?>(StringComparer.Ordinal) { ["RateLimits:LoginPerMinute"] = "3" });
        await server.AddUserAsync("real", Roles.Requester, Password);
        using var client = CookieClient.New(server, new CookieContainer());
        for (var i = 0; i < 10; i++)
            (await client.GetAsync("/login")).StatusCode.ShouldBe(HttpStatusCode.OK, "showing the form is free");
        (await CookieClient.PostLoginAsync(client, "real", Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await CookieClient.PostLoginAsync(client, "nobody", "x")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CookieClient.PostLoginAsync(client, "nobody", "x")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CookieClient.PostLoginAsync(client, "nobody", "x")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task behind_a_configured_proxy_tls_brings_hsts_and_a_secure_cookie_and_the_client_address_is_the_forwarded_one()
    {
        var proxied = new Dictionary<string, string?>(StringComparer.Ordinal) { ["Proxy:KnownProxies"] = "127.0.0.1" };
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite, settings: proxied);
        await server.AddUserAsync("real", Roles.Requester, Password);
        // The proxy speaks TLS to the browser and plain HTTP to Verity; cookies are carried by hand, as the proxy would pass them.
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        var page = await client.GetAsync("/login");
        page.Headers.GetValues("Strict-Transport-Security").Single().ShouldBe("max-age=31536000");
        var antiforgery = page.Headers.GetValues("Set-Cookie").Single();
        antiforgery.ShouldContain("secure");
        using var post = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["Name"] = "real",
                ["Password"] = Password,
                ["__RequestVerificationToken"] = CookieClient.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
            }),
        };
        post.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        var signedIn = await client.SendAsync(post);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("verity=", StringComparison.Ordinal)).ShouldContain("secure");
        (await server.QueryAsync(db => db.AuditEvents.SingleAsync(e => e.Kind == AuditKinds.SignIn))).Address.ShouldBe("203.0.113.7");

        // Without a configured proxy the same headers are not believed: no HSTS over plain HTTP, the real address logged.
        await using var direct = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        using var plain = CookieClient.New(direct, new CookieContainer());
        plain.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        plain.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        (await plain.GetAsync("/login")).Headers.Contains("Strict-Transport-Security").ShouldBeFalse();
        await CookieClient.PostLoginAsync(plain, "nobody", "x");
        (await direct.QueryAsync(db => db.AuditEvents.SingleAsync())).Address.ShouldBe("127.0.0.1");
    }
}
