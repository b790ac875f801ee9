//! Sigma's `|cidr` modifier: whether an address lies in a network (`10.0.0.0/8`,
//! `2001:db8::/32`). The standard library reads the addresses; containment is a mask.

use std::net::IpAddr;

/// A network: its address as 128 bits (IPv4 in the low 32), its prefix, and its family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    bits: u128,
    prefix: u32,
    v4: bool,
}

impl Network {
    /// Reads `10.0.0.0/8` or `2001:db8::/32` (a bare address is a network of one).
    pub fn parse(text: &str) -> Result<Self, String> {
        let (address, prefix) = match text.trim().split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text.trim(), None),
        };
        let address: IpAddr = address
            .parse()
            .map_err(|_| format!("{text} is not a network in CIDR notation"))?;
        let (bits, width, v4) = split(address);
        let prefix = match prefix {
            None => width,
            Some(prefix) => prefix
                .parse::<u32>()
                .ok()
                .filter(|p| *p <= width)
                .ok_or_else(|| format!("{text} has no valid prefix length"))?,
        };
        Ok(Self {
            bits: bits & mask(prefix, width),
            prefix,
            v4,
        })
    }

    /// Whether `address` (text as a log writes it) lies in the network. An IPv4 address
    /// written as IPv6 (`::ffff:10.1.2.3`) is read as IPv4.
    pub fn contains(&self, address: &str) -> bool {
        let Ok(address) = address.trim().parse::<IpAddr>() else {
            return false;
        };
        let (bits, width, v4) = split(address);
        v4 == self.v4 && bits & mask(self.prefix, width) == self.bits
    }
}

/// The address's bits, its width and whether it is IPv4.
fn split(address: IpAddr) -> (u128, u32, bool) {
    match address {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32, true),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => (u128::from(u32::from(v4)), 32, true),
            None => (u128::from(v6), 128, false),
        },
    }
}

/// The top `prefix` bits of a `width`-bit address.
fn mask(prefix: u32, width: u32) -> u128 {
    if prefix == 0 {
        0
    } else {
        (u128::MAX >> (128 - width)) & !((1u128 << (width - prefix)) - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_in_and_out_of_networks() {
        let private = Network::parse("10.0.0.0/8").unwrap();
        assert!(private.contains("10.200.3.4"));
        assert!(!private.contains("11.0.0.1"));
        assert!(private.contains("::ffff:10.1.2.3"));
        assert!(!private.contains("-"));
        let docs = Network::parse("2001:db8::/32").unwrap();
        assert!(docs.contains("2001:db8:1::5"));
        assert!(!docs.contains("2001:db9::5"));
        assert!(!docs.contains("10.1.2.3"));
        let one = Network::parse("192.0.2.7").unwrap();
        assert!(one.contains("192.0.2.7") && !one.contains("192.0.2.8"));
        assert!(Network::parse("0.0.0.0/0").unwrap().contains("203.0.113.9"));
        assert!(
            Network::parse("128.0.0.0/1")
                .unwrap()
                .contains("203.0.113.9")
        );
        assert!(!Network::parse("128.0.0.0/1").unwrap().contains("127.0.0.1"));
    }

    #[test]
    fn what_is_no_network_is_said() {
        for bad in [
            "10.0.0.0/33",
            "10.0.0/8",
            "example.com/8",
            "::/129",
            "10.0.0.0/x",
        ] {
            assert!(Network::parse(bad).is_err(), "{bad}");
        }
    }
}
