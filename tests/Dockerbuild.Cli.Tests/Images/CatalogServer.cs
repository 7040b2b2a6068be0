using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Dockerbuild.Cli.Tests.Images;

/// <summary>
/// A loopback registry that only serves <c>/v2/</c> and a catalog split into pages linked with
/// <c>Link: &lt;...&gt;; rel="next"</c>, as the distribution spec paginates; it records the pages asked for.
/// </summary>
internal sealed class CatalogServer : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly IReadOnlyList<string[]> pages;
    private readonly Task serving;

    public CatalogServer(params string[][] pages)
    {
        this.pages = pages;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }

        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        serving = ServeAsync();
    }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    public List<string> Requested { get; } = [];

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        try
        {
            await serving;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            var path = context.Request.Url!.PathAndQuery;
            lock (Requested)
            {
                Requested.Add(path);
            }

            var body = "{}";
            if (path.StartsWith("/v2/_catalog", StringComparison.Ordinal))
            {
                var page = path.Contains("page=", StringComparison.Ordinal) ? int.Parse(path[(path.IndexOf("page=", StringComparison.Ordinal) + 5)..], System.Globalization.CultureInfo.InvariantCulture) : 0;
                body = "{\"repositories\":[" + string.Join(',', pages[page].Select(r => $"\"{r}\"")) + "]}";
                if (page + 1 < pages.Count)
                {
                    context.Response.AddHeader("Link", $"</v2/_catalog?page={page + 1}>; rel=\"next\"");
                }
            }

            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.ContentType = "application/json";
            context.Response.AddHeader("Docker-Distribution-API-Version", "registry/2.0");
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
