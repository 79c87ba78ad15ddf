using System.Net;
using System.Net.Sockets;

namespace MiniPaas.Tests.Ingress;

/// <summary>Loopback ports nobody listens on (asked from the kernel, then released).</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
