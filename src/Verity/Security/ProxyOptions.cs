using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Verity.Security;

/// <summary>
/// Section "Proxy": the reverse proxies whose X-Forwarded-For and X-Forwarded-Proto headers are believed. Empty by
/// default, so a client cannot pick its own address (and escape the sign-in limit) by sending the header itself.
/// </summary>
public sealed class ProxyOptions
{
    /// <summary>Addresses of the proxies in front of Verity, e.g. ["127.0.0.1"].</summary>
    public string[] KnownProxies { get; set; } = [];

    public void Apply(ForwardedHeadersOptions forwarded)
    {
        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var proxy in KnownProxies)
            forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
    }
}
