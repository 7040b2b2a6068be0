using System.Diagnostics;
using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Engine.Execution.Copy;

/// <summary>
/// Opens a possibly compressed tar by its magic bytes, as BuildKit's ADD does: gzip and zstd in
/// process; bzip2 and xz through the system's `bzip2 -dc` and `xz -dc` (.NET has no decoder for
/// them, and a package for two rarely used formats is not worth the dependency).
/// </summary>
internal static class ArchiveDecompression
{
    /// <summary>The tar inside <paramref name="compressed"/>, which must be seekable (a local or downloaded file).</summary>
    public static async Task<Stream> OpenAsync(Stream compressed, CancellationToken cancellationToken)
    {
        var magic = new byte[6];
        var read = await compressed.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        compressed.Seek(0, SeekOrigin.Begin);
        return magic.AsSpan(0, read) switch
        {
            [(byte)'B', (byte)'Z', (byte)'h', ..] => StartTool("bzip2", compressed, cancellationToken),
            [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00] => StartTool("xz", compressed, cancellationToken),
            _ => await LayerDecompression.OpenAsync(compressed, cancellationToken).ConfigureAwait(false), // gzip, zstd or plain
        };
    }

    private static ProcessStream StartTool(string tool, Stream input, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(tool, ["-dc"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new CopyException($"could not start '{tool}' to decompress an ADD archive");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CopyException($"ADD of a {tool} archive needs the '{tool}' tool, which was not found: {e.Message}", e);
        }

        return new ProcessStream(process, input, cancellationToken);
    }

    /// <summary>A decompressor's stdout; its stdin is fed from the compressed stream in the background.</summary>
    private sealed class ProcessStream : Stream
    {
        private readonly Process process;
        private readonly Stream input;
        private readonly Task pump;
        private readonly CancellationTokenSource stop;

        public ProcessStream(Process process, Stream input, CancellationToken cancellationToken)
        {
            this.process = process;
            this.input = input;
            stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            pump = PumpAsync(stop.Token);
            _ = process.StandardError.ReadToEndAsync(stop.Token);
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => process.StandardOutput.BaseStream.Read(buffer, offset, count);

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await process.StandardOutput.BaseStream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n == 0 && buffer.Length > 0)
            {
                await pump.ConfigureAwait(false);
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                if (process.ExitCode != 0)
                {
                    throw new InvalidDataException($"'{process.StartInfo.FileName} -dc' failed with exit code {process.ExitCode}: the archive is corrupt");
                }
            }

            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                stop.Cancel();
                if (!process.HasExited)
                {
                    process.Kill();
                }

                process.Dispose();
                input.Dispose();
                stop.Dispose();
            }

            base.Dispose(disposing);
        }

        private async Task PumpAsync(CancellationToken cancellationToken)
        {
            try
            {
                await input.CopyToAsync(process.StandardInput.BaseStream, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The tool stopped reading (it failed, or the reader had enough); its exit code says which.
            }
            finally
            {
                try
                {
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // Already gone.
                }
            }
        }
    }
}
