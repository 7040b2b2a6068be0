using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Dockerbuild.Testing.Registry;

/// <summary>
/// An HTTP/1.1 forwarding proxy on a free loopback port in front of a plain-HTTP upstream (the test
/// registry). Rules inject 5xx/429 answers, connection resets, truncated and corrupted bodies and slow
/// responses; every request is logged. The Host header is passed through, so the registry's absolute
/// Location URLs point back at the proxy.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly Uri upstream;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<(FaultRule Rule, int Hits, int Injected)> rules = [];
    private readonly List<ProxiedRequest> requests = [];
    private readonly List<Task> connections = [];
    private readonly Task acceptLoop;

    private FaultProxy(Uri upstream)
    {
        this.upstream = upstream;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        acceptLoop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public string Host => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public Uri BaseUri => new($"http://{Host}/");

    public static FaultProxy Start(Uri upstream) =>
        upstream.Scheme == Uri.UriSchemeHttp ? new FaultProxy(upstream) : throw new ArgumentException("The fault proxy forwards to plain HTTP only.", nameof(upstream));

    public void AddRule(FaultRule rule)
    {
        lock (rules)
        {
            rules.Add((rule, 0, 0));
        }
    }

    public void ClearRules()
    {
        lock (rules)
        {
            rules.Clear();
        }
    }

    /// <summary>How many faults were injected so far.</summary>
    public int FaultsInjected
    {
        get
        {
            lock (rules)
            {
                return rules.Sum(r => r.Injected);
            }
        }
    }

    public IReadOnlyList<ProxiedRequest> Requests
    {
        get
        {
            lock (requests)
            {
                return [.. requests];
            }
        }
    }

    private Fault? Select(string method, string path)
    {
        lock (rules)
        {
            for (var i = 0; i < rules.Count; i++)
            {
                var (rule, hits, injected) = rules[i];
                if (!rule.Matches(method, path))
                {
                    continue;
                }

                hits++;
                var inject = hits % rule.EveryNth == 0 && injected < rule.MaxInjections;
                rules[i] = (rule, hits, inject ? injected + 1 : injected);
                if (inject)
                {
                    return rule.Fault;
                }
            }
        }

        return null;
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (connections)
            {
                connections.RemoveAll(t => t.IsCompleted);
                connections.Add(Task.Run(() => ServeAsync(client)));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            client.NoDelay = true;
            try
            {
                var wire = new HttpWire(client.GetStream());
                while (await ServeOneAsync(client, wire, stopping.Token).ConfigureAwait(false))
                {
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away, or a fault closed the connection on purpose.
            }
        }
    }

    /// <returns>Whether the client connection stays open for another request.</returns>
    private async Task<bool> ServeOneAsync(TcpClient client, HttpWire wire, CancellationToken cancellationToken)
    {
        if (await wire.ReadHeadAsync(cancellationToken).ConfigureAwait(false) is not { } request)
        {
            return false;
        }

        var parts = request.StartLine.Split(' ');
        var (method, path) = (parts[0], parts[1]);
        var fault = Select(method, path);
        var log = new ProxiedRequest(method, path, 0, fault?.Kind, request.Header("Range"), request.Header("Content-Range"));

        switch (fault?.Kind)
        {
            case FaultKind.Reset:
                Log(log);
                Reset(client);
                return false;
            case FaultKind.Status:
                await wire.CopyBodyAsync(request, request.HasRequestBody, null, cancellationToken).ConfigureAwait(false);
                var status = new HttpHead($"HTTP/1.1 {fault.StatusCode.ToString(CultureInfo.InvariantCulture)} Injected", [new("Content-Length", "0")]);
                if (fault.RetryAfter is { } retryAfter)
                {
                    status = status.With("Retry-After", retryAfter);
                }

                await wire.Stream.WriteAsync(status.ToBytes(), cancellationToken).ConfigureAwait(false);
                Log(log with { Status = fault.StatusCode });
                return true;
        }

        using var upstreamClient = new TcpClient();
        await upstreamClient.ConnectAsync(upstream.Host, upstream.Port, cancellationToken).ConfigureAwait(false);
        var upstreamStream = upstreamClient.GetStream();
        var forwarded = request.Without("Connection", "Expect", "Keep-Alive").With("Connection", "close");
        await upstreamStream.WriteAsync(forwarded.ToBytes(), cancellationToken).ConfigureAwait(false);
        await wire.CopyBodyAsync(request, request.HasRequestBody, m => upstreamStream.WriteAsync(m, cancellationToken).AsTask(), cancellationToken).ConfigureAwait(false);

        var upstreamWire = new HttpWire(upstreamStream);
        var response = await upstreamWire.ReadHeadAsync(cancellationToken).ConfigureAwait(false) ?? throw new IOException("the upstream closed without a response");
        while (response.Status is >= 100 and < 200)
        {
            response = await upstreamWire.ReadHeadAsync(cancellationToken).ConfigureAwait(false) ?? throw new IOException("the upstream closed without a response");
        }

        log = log with { Status = response.Status };
        if (fault?.Kind == FaultKind.ResetAfterUpstream)
        {
            await upstreamWire.CopyBodyAsync(response, HasResponseBody(method, response), null, cancellationToken).ConfigureAwait(false);
            Log(log);
            Reset(client);
            return false;
        }

        if (fault?.Kind == FaultKind.Slow)
        {
            await Task.Delay(fault.Delay, cancellationToken).ConfigureAwait(false);
        }

        var hasBody = HasResponseBody(method, response);
        var delimitedByClose = hasBody && !response.IsChunked && response.ContentLength is null;
        var toClient = response.Without("Connection", "Keep-Alive");
        if (delimitedByClose)
        {
            toClient = toClient.With("Connection", "close");
        }

        await wire.Stream.WriteAsync(toClient.ToBytes(), cancellationToken).ConfigureAwait(false);
        Log(log);

        long sent = 0;
        var total = response.ContentLength ?? 0;
        var cutAt = fault is { Kind: FaultKind.Truncate } ? (fault.TruncateAfter >= 0 ? fault.TruncateAfter : total / 2) : long.MaxValue;
        var flipAt = fault?.Kind == FaultKind.Corrupt ? total / 2 : -1;
        try
        {
            await upstreamWire.CopyBodyAsync(response, hasBody, async piece =>
            {
                if (sent + piece.Length > cutAt)
                {
                    await wire.Stream.WriteAsync(piece[..(int)(cutAt - sent)], cancellationToken).ConfigureAwait(false);
                    throw new TruncatedOnPurpose();
                }

                if (flipAt >= sent && flipAt < sent + piece.Length)
                {
                    var copy = piece.ToArray();
                    copy[flipAt - sent] ^= 0xFF;
                    piece = copy;
                }

                await wire.Stream.WriteAsync(piece, cancellationToken).ConfigureAwait(false);
                sent += piece.Length;
                if (fault?.BodyPause > TimeSpan.Zero)
                {
                    await Task.Delay(fault.BodyPause, cancellationToken).ConfigureAwait(false);
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (TruncatedOnPurpose)
        {
            await wire.Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }

        return !delimitedByClose;
    }

    private static bool HasResponseBody(string method, HttpHead response) =>
        method != "HEAD" && response.Status is not (204 or 304) and >= 200;

    private static void Reset(TcpClient client)
    {
        // Linger 0 makes Close send RST instead of FIN: the peer sees "connection reset".
        client.Client.LingerState = new LingerOption(true, 0);
        client.Client.Close();
    }

    private void Log(ProxiedRequest request)
    {
        lock (requests)
        {
            requests.Add(request);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        listener.Stop();
        await acceptLoop.ConfigureAwait(false);
        Task[] open;
        lock (connections)
        {
            open = [.. connections];
        }

        await Task.WhenAll(open).ConfigureAwait(false);
        listener.Dispose();
        stopping.Dispose();
    }

    private sealed class TruncatedOnPurpose : Exception;
}
