using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using Dockerbuild.Engine.Execution.Copy;

namespace Dockerbuild.Engine.Tests.Execution.Copy;

/// <summary>ADD of http URLs against a local server on 127.0.0.1, as BuildKit's http source behaves.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class AddUrlTests : IDisposable
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("downloaded content\n");
    private static readonly DateTimeOffset LastModified = new(2020, 4, 27, 15, 4, 5, TimeSpan.Zero);
    private readonly HttpListener listener = new();
    private readonly HttpClient http = new();
    private readonly string prefix;

    public AddUrlTests()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        prefix = $"http://127.0.0.1:{port}/";
        listener.Prefixes.Add(prefix);
        listener.Start();
        _ = ServeAsync();
    }

    [Fact]
    public async Task UrlIsSavedUnderItsPathsLastSegmentWithMode0600AndLastModified()
    {
        using var tree = new CopyTree { Http = http };
        var entries = await tree.CopyAsync([prefix + "files/tool.txt"], "/dl/", r => r with { IsAdd = true });
        var file = entries["dl/tool.txt"];
        Assert.Equal(0b110_000_000, file.Mode);
        Assert.Equal((0, 0), (file.Uid, file.Gid));
        Assert.Equal(LastModified, file.ModificationTime);
        Assert.Equal("downloaded content\n", tree.LastContents["dl/tool.txt"]);
    }

    [Fact]
    public async Task UrlToAPathWithoutSlashIsWrittenAtThatPath()
    {
        using var tree = new CopyTree { Http = http };
        var entries = await tree.CopyAsync([prefix + "files/tool.txt"], "/usr/bin/renamed", r => r with { IsAdd = true, Chmod = "755" });
        Assert.Equal(0b111_101_101, entries["usr/bin/renamed"].Mode);
    }

    [Fact]
    public async Task MatchingChecksumIsAcceptedAndAWrongOneFails()
    {
        using var tree = new CopyTree { Http = http };
        var good = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Body));
        var entries = await tree.CopyAsync([prefix + "files/tool.txt"], "/dl/", r => r with { IsAdd = true, Checksum = good });
        Assert.Contains("dl/tool.txt", entries.Keys);

        var wrong = "sha256:" + new string('0', 64);
        var error = await Assert.ThrowsAsync<CopyException>(() => tree.CopyAsync([prefix + "files/tool.txt"], "/dl/", r => r with { IsAdd = true, Checksum = wrong }));
        Assert.Equal($"ADD {prefix}files/tool.txt: checksum mismatch: expected {wrong}, got {good}", error.Message);
    }

    [Fact]
    public async Task UrlWithoutAFileNameIsUnnamed()
    {
        using var tree = new CopyTree { Http = http };
        var entries = await tree.CopyAsync([prefix], "/dl/", r => r with { IsAdd = true });
        Assert.Contains("dl/__unnamed__", entries.Keys);
    }

    [Fact]
    public async Task ErrorStatusFails()
    {
        using var tree = new CopyTree { Http = http };
        var error = await Assert.ThrowsAsync<CopyException>(() => tree.CopyAsync([prefix + "missing"], "/dl/", r => r with { IsAdd = true }));
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        listener.Close();
        http.Dispose();
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

            var response = context.Response;
            if (context.Request.Url!.AbsolutePath == "/missing")
            {
                response.StatusCode = 404;
            }
            else
            {
                response.Headers.Add("Last-Modified", LastModified.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                response.ContentLength64 = Body.Length;
                await response.OutputStream.WriteAsync(Body);
            }

            response.Close();
        }
    }
}
