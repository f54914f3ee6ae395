using System.Net;
using System.Net.Sockets;
using LiveHost.Perf.Measurement;

namespace LiveHost.Perf.WebRtc;

/// <summary>
/// The viewers' end of the wire: one loopback UDP socket per viewer, all drained by one thread (poll(2) over every
/// socket, then non-blocking reads until each is empty). The thread allocates nothing and reports its own CPU
/// (scheduler accounting, ns), so the benchmark can take the receiving side out of the server's figures.
/// </summary>
public sealed class LoopbackSink : IDisposable
{
    public const string ThreadName = "fanout-sink";

    private readonly Socket[] _sockets;
    private readonly long[] _received;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private int _tid;
    private long _allocatedBytes;

    public LoopbackSink(int count)
    {
        _sockets = new Socket[count];
        _received = new long[count];
        Addresses = new SocketAddress[count];
        for (var i = 0; i < count; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { Blocking = false };
            socket.ReceiveBufferSize = 1024 * 1024;
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _sockets[i] = socket;
            Addresses[i] = socket.LocalEndPoint!.Serialize();
        }
        _thread = new Thread(Run) { IsBackground = true, Name = ThreadName };
        _thread.Start();
    }

    /// <summary>Where viewer <c>i</c>'s packets go.</summary>
    public SocketAddress[] Addresses { get; }

    public long Received
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < _received.Length; i++) sum += Volatile.Read(ref _received[i]);
            return sum;
        }
    }

    /// <summary>CPU the draining thread has used so far.</summary>
    public TimeSpan Cpu => _tid == 0 ? TimeSpan.Zero : ProcFs.ThreadCpu(_tid) ?? TimeSpan.Zero;

    /// <summary>Bytes the draining thread has allocated (expected to stay flat).</summary>
    public long AllocatedBytes => Interlocked.Read(ref _allocatedBytes);

    private void Run()
    {
        var threads = ProcFs.OwnThreads(ThreadName);
        _tid = threads.Count > 0 ? threads[^1] : 0;
        var fds = new LinuxCalls.PollFd[_sockets.Length];
        for (var i = 0; i < fds.Length; i++) fds[i] = new LinuxCalls.PollFd { Fd = (int)_sockets[i].SafeHandle.DangerousGetHandle(), Events = LinuxCalls.PollIn };
        var buffer = new byte[2048];
        while (!_stopping)
        {
            if (LinuxCalls.Poll(fds, 100) <= 0) continue;
            for (var i = 0; i < fds.Length; i++)
            {
                if ((fds[i].Revents & LinuxCalls.PollIn) == 0) continue;
                var n = 0L;
                while (_sockets[i].Receive(buffer.AsSpan(), SocketFlags.None, out var error) > 0 && error == SocketError.Success) n++;
                Volatile.Write(ref _received[i], _received[i] + n);
            }
            Interlocked.Exchange(ref _allocatedBytes, GC.GetAllocatedBytesForCurrentThread());
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(2));
        foreach (var socket in _sockets) socket.Dispose();
    }
}
