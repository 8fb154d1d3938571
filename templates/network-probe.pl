# kvm-lab's network probe (kvm-lab check --network), run inside a guest as root with the
# program and its instructions both on standard input. Only perl-base is used (Essential
# on Debian and Ubuntu), so any such box can run it. One line per message:
#   kvm-lab: LISTEN <port>                         (right after __END__)
#   guest:   ADDR <iface> <address/prefix>         every IPv4 address the guest has
#            LISTENING <port> | LISTEN-FAILED <why>, then READY
#   kvm-lab: PROBE <id> <icmp|tcp> <address> <port|-> <iface|->   ..., then GO
#   guest:   RESULT <id> <yes|no> <evidence>        one per probe, then DONE
#   kvm-lab: STOP (or the end of input): the listener stops and the program ends.
# Probes are bounded: ICMP sends at most 2 echo requests, 1 s apart; TCP makes one connect
# attempt of at most 2 s; at most 16 probes run at once.
use strict;
use warnings;
use Socket qw(PF_INET SOCK_STREAM SOCK_RAW SOL_SOCKET SO_REUSEADDR SO_ERROR INADDR_ANY inet_aton inet_ntoa sockaddr_in);
use Errno qw(EINPROGRESS);
use Fcntl qw(F_GETFL F_SETFL O_NONBLOCK);
use POSIX qw(_exit WNOHANG);

$| = 1;
my $SO_BINDTODEVICE = 25;    # Linux
my $MAX_RUNNING     = 16;

sub say_line { print join(" ", @_), "\n" }

sub clean { my $text = shift; $text =~ s/[\r\n]+/ /g; return $text }

# 1. Addresses, as `ip -o -4 addr show` lists them.
sub report_addresses {
  open(my $ip, "-|", "ip", "-o", "-4", "addr", "show") or return;
  while (my $line = <$ip>) {
    say_line("ADDR", $1, $2) if $line =~ /^\d+:\s+(\S+)\s+inet\s+(\d+\.\d+\.\d+\.\d+\/\d+)/;
  }
  close($ip);
}

# 2. A listener that accepts and closes, so others can probe this guest's TCP port.
sub start_listener {
  my $port = shift;
  socket(my $server, PF_INET, SOCK_STREAM, 6) or return (undef, "socket: $!");
  setsockopt($server, SOL_SOCKET, SO_REUSEADDR, pack("l", 1));
  bind($server, sockaddr_in($port, INADDR_ANY)) or return (undef, "bind port $port: $!");
  listen($server, 64) or return (undef, "listen: $!");
  my $pid = fork();
  return (undef, "fork: $!") unless defined $pid;
  if ($pid == 0) {
    while (1) {
      accept(my $client, $server) or next;
      close($client);
    }
  }
  close($server);
  return ($pid, undef);
}

sub bind_device {
  my ($socket, $iface) = @_;
  return 1 if $iface eq "-";
  return setsockopt($socket, SOL_SOCKET, $SO_BINDTODEVICE, pack("Z*", $iface));
}

sub checksum {
  my $data = shift;
  $data .= "\0" if length($data) % 2;
  my $sum = 0;
  $sum += $_ for unpack("n*", $data);
  $sum = ($sum >> 16) + ($sum & 0xffff);
  $sum += $sum >> 16;
  return ~$sum & 0xffff;
}

sub icmp_probe {
  my ($address, $iface) = @_;
  socket(my $s, PF_INET, SOCK_RAW, 1) or return ("no", "raw socket: $!");
  bind_device($s, $iface) or return ("no", "cannot bind to $iface: $!");
  my $dest = sockaddr_in(0, inet_aton($address));
  my $id   = $$ & 0xffff;
  my $last = "no echo reply within 2 s";
  for my $seq (1 .. 2) {
    my $body = pack("n n a*", $id, $seq, "kvm-lab");
    my $sum  = checksum(pack("C C n", 8, 0, 0) . $body);
    send($s, pack("C C n", 8, 0, $sum) . $body, 0, $dest) or return ("no", "send: $!");
    my $left = 1.0;
    while ($left > 0) {
      my $in = "";
      vec($in, fileno($s), 1) = 1;
      my ($found, $remaining) = select(my $out = $in, undef, undef, $left);
      $left = $remaining // 0;
      last unless $found && $found > 0;
      my $from = recv($s, my $packet, 1500, 0);
      next unless defined $from && length($packet) >= 28;
      my $ihl = (unpack("C", $packet) & 0x0f) * 4;
      my ($type, $code) = unpack("C C", substr($packet, $ihl, 2));
      my (undef, $source) = sockaddr_in($from);
      if ($type == 0) {
        my ($rid, $rseq) = unpack("n n", substr($packet, $ihl + 4, 4));
        return ("yes", "echo reply from " . inet_ntoa($source)) if $rid == $id && inet_ntoa($source) eq $address;
      } elsif ($type == 3 && length($packet) >= $ihl + 8 + 20 + 8) {
        # Destination unreachable about one of ours: the quoted header names our target and id.
        my $inner = substr($packet, $ihl + 8);
        my $iihl  = (unpack("C", $inner) & 0x0f) * 4;
        my $dst   = inet_ntoa(substr($inner, 16, 4));
        my (undef, undef, $qid) = unpack("C C n n", substr($inner, $iihl, 6));
        $last = "unreachable (ICMP type 3 code $code from " . inet_ntoa($source) . ")" if $dst eq $address && defined $qid;
      }
    }
  }
  return ("no", $last);
}

sub tcp_probe {
  my ($address, $port, $iface) = @_;
  socket(my $s, PF_INET, SOCK_STREAM, 6) or return ("no", "socket: $!");
  bind_device($s, $iface) or return ("no", "cannot bind to $iface: $!");
  my $flags = fcntl($s, F_GETFL, 0);
  fcntl($s, F_SETFL, $flags | O_NONBLOCK);
  return ("yes", "connected to $address:$port") if connect($s, sockaddr_in($port, inet_aton($address)));
  return ("no", "connect: $!") unless $! == EINPROGRESS;
  my $want = "";
  vec($want, fileno($s), 1) = 1;
  my ($found) = select(undef, my $ready = $want, undef, 2.0);
  return ("no", "no answer within 2 s") unless $found && $found > 0;
  my $error = unpack("i", getsockopt($s, SOL_SOCKET, SO_ERROR));
  return ("yes", "connected to $address:$port") if $error == 0;
  local $! = $error;
  return ("no", "connect: $!");
}

sub run_probe {
  my ($id, $kind, $address, $port, $iface) = @_;
  my ($verdict, $evidence) = $kind eq "icmp" ? icmp_probe($address, $iface) : tcp_probe($address, $port, $iface);
  say_line("RESULT", $id, $verdict, clean($evidence));
}

# The instructions follow the program on standard input: perl reads them through DATA.
my $listen = <DATA>;
exit 0 unless defined $listen;
my ($port) = $listen =~ /^LISTEN (\d+)/ or die "expected LISTEN <port>, got: $listen";
report_addresses();
my ($listener, $why) = start_listener($port);
say_line($listener ? ("LISTENING", $port) : ("LISTEN-FAILED", clean($why)));
say_line("READY");

my @probes;
while (my $line = <DATA>) {
  last if $line =~ /^GO\b/;
  push @probes, [split(" ", $1)] if $line =~ /^PROBE (.+)$/;
}
my %running;
for my $probe (@probes) {
  while (keys(%running) >= $MAX_RUNNING) {
    my $done = waitpid(-1, 0);
    delete $running{$done};
  }
  my $pid = fork();
  if (!defined $pid) {
    say_line("RESULT", $probe->[0], "no", "fork: $!");
    next;
  }
  if ($pid == 0) {
    run_probe(@$probe);
    _exit(0);
  }
  $running{$pid} = 1;
}
while (keys %running) {
  my $done = waitpid(-1, 0);
  last if $done < 0;
  delete $running{$done};
}
say_line("DONE");

while (my $line = <DATA>) {
  last if $line =~ /^STOP\b/;
}
kill("TERM", $listener) if $listener;
waitpid($listener, 0) if $listener;
exit 0;
