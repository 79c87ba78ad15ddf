using System.Net;
using System.Net.Sockets;

namespace MiniPaas.Core.Networking;

/// <summary>Free TCP ports on 127.0.0.1, asked from the kernel and released at once (host-mode apps, private clusters, tests).</summary>
public static class LoopbackPort
{
    /// <summary>A port nothing listens on right now. Another process may take it before the caller binds it.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
