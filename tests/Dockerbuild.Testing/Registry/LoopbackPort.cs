using System.Net;
using System.Net.Sockets;

namespace Dockerbuild.Testing.Registry;

/// <summary>Free loopback ports: for components that cannot bind port 0 themselves, or, left unbound, an unreachable registry.</summary>
public static class LoopbackPort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
