// Compiled by the jukisim developers from general knowledge of common names in these countries; weights are estimates [E].
// Nationalities: CN 中国, VN ベトナム, KR 韓国, PH フィリピン, NP ネパール, BR ブラジル, ID インドネシア, MM ミャンマー, XX その他(米国・英国など).
// Indonesian and Myanmar names traditionally have no family name; for ID the "family" rows are common
// final name elements, for MM they are common leading name elements, so that family + given reads like a full name.
enum ForeignNamesData {
    /// Columns: nationality code, part (family/givenM/givenF), latin (passport form), kanji (may be empty), kana, weight (1-100).
    static let tsv = #"""
        CN	family	WANG	王	ワン	100
        CN	family	LI	李	リー	98
        CN	family	ZHANG	張	チャン	95
        CN	family	LIU	劉	リュウ	80
        CN	family	CHEN	陳	チェン	78
        CN	family	YANG	楊	ヤン	60
        CN	family	HUANG	黄	ホアン	55
        CN	family	ZHAO	趙	チャオ	52
        CN	family	WU	呉	ウー	50
        CN	family	ZHOU	周	ジョウ	50
        CN	family	XU	徐	シュー	45
        CN	family	SUN	孫	スン	42
        CN	family	MA	馬	マー	40
        CN	family	ZHU	朱	ジュー	38
        CN	family	HU	胡	フー	36
        CN	family	GUO	郭	グオ	35
        CN	family	HE	何	ホー	34
        CN	family	LIN	林	リン	33
        CN	family	GAO	高	ガオ	32
        CN	family	LUO	羅	ルオ	28
        CN	family	ZHENG	鄭	ジェン	28
        CN	family	LIANG	梁	リャン	26
        CN	givenM	WEI	偉	ウェイ	100
        CN	givenM	LEI	磊	レイ	80
        CN	givenM	QIANG	強	チャン	75
        CN	givenM	JUN	軍	ジュン	70
        CN	givenM	JIE	傑	ジエ	68
        CN	givenM	TAO	濤	タオ	60
        CN	givenM	MING	明	ミン	60
        CN	givenM	CHAO	超	チャオ	55
        CN	givenM	YONG	勇	ヨン	52
        CN	givenM	PENG	鵬	ポン	50
        CN	givenM	HAO	浩	ハオ	50
        CN	givenM	YU	宇	ユー	48
        CN	givenM	JUNJIE	俊傑	ジュンジエ	45
        CN	givenM	ZHIQIANG	志強	ジーチャン	42
        CN	givenM	JIANHUA	建華	ジエンホア	40
        CN	givenM	WENBO	文博	ウェンボー	38
        CN	givenM	ZIXUAN	子軒	ズーシュエン	36
        CN	givenM	HAORAN	浩然	ハオラン	36
        CN	givenM	YUHANG	宇航	ユーハン	32
        CN	givenM	CHEN	晨	チェン	30
        CN	givenM	BIN	斌	ビン	28
        CN	givenF	FANG	芳	ファン	100
        CN	givenF	NA	娜	ナー	85
        CN	givenF	MIN	敏	ミン	80
        CN	givenF	JING	静	ジン	78
        CN	givenF	LI	麗	リー	75
        CN	givenF	YAN	艶	イエン	65
        CN	givenF	TING	婷	ティン	60
        CN	givenF	XUE	雪	シュエ	55
        CN	givenF	LING	玲	リン	52
        CN	givenF	YING	穎	イン	50
        CN	givenF	JING	晶	ジン	45
        CN	givenF	XIUYING	秀英	シウイン	42
        CN	givenF	DAN	丹	ダン	40
        CN	givenF	HUI	慧	ホイ	40
        CN	givenF	XINYI	欣怡	シンイー	38
        CN	givenF	ZIHAN	梓涵	ズーハン	35
        CN	givenF	YUHAN	雨涵	ユーハン	34
        CN	givenF	JIAYI	佳怡	ジアイー	34
        CN	givenF	SIQI	思琪	スーチー	32
        CN	givenF	MEILING	美玲	メイリン	30
        CN	givenF	HONG	紅	ホン	28
        VN	family	NGUYEN		グエン	100
        VN	family	TRAN		チャン	60
        VN	family	LE		レ	50
        VN	family	PHAM		ファム	45
        VN	family	HOANG		ホアン	35
        VN	family	HUYNH		フイン	30
        VN	family	PHAN		ファン	28
        VN	family	VU		ヴー	26
        VN	family	VO		ヴォー	24
        VN	family	DANG		ダン	22
        VN	family	BUI		ブイ	22
        VN	family	DO		ドー	20
        VN	family	HO		ホー	18
        VN	family	NGO		ゴー	16
        VN	family	DUONG		ズオン	15
        VN	family	LY		リー	12
        VN	family	DINH		ディン	12
        VN	family	TRINH		チン	10
        VN	family	DAO		ダオ	10
        VN	family	LAM		ラム	8
        VN	family	MAI		マイ	8
        VN	givenM	VAN AN		ヴァン アン	100
        VN	givenM	VAN HUNG		ヴァン フン	95
        VN	givenM	VAN NAM		ヴァン ナム	90
        VN	givenM	DUC ANH		ドゥック アイン	85
        VN	givenM	MINH TUAN		ミン トゥアン	82
        VN	givenM	VAN DUNG		ヴァン ズン	80
        VN	givenM	QUOC HUY		クオック フイ	75
        VN	givenM	THANH TUNG		タイン トゥン	72
        VN	givenM	VAN TUAN		ヴァン トゥアン	70
        VN	givenM	HOANG LONG		ホアン ロン	65
        VN	givenM	VAN HAI		ヴァン ハイ	62
        VN	givenM	VAN THANH		ヴァン タイン	60
        VN	givenM	DINH KHANH		ディン カイン	55
        VN	givenM	MINH DUC		ミン ドゥック	52
        VN	givenM	VAN QUANG		ヴァン クアン	50
        VN	givenM	TIEN DAT		ティエン ダット	48
        VN	givenM	VAN TOAN		ヴァン トアン	45
        VN	givenM	XUAN TRUONG		スアン チュオン	42
        VN	givenM	VAN PHUC		ヴァン フック	40
        VN	givenM	NGOC SON		ゴック ソン	38
        VN	givenM	VAN LONG		ヴァン ロン	36
        VN	givenF	THI HUONG		ティ フオン	100
        VN	givenF	THI LAN		ティ ラン	92
        VN	givenF	THI MAI		ティ マイ	90
        VN	givenF	THI HOA		ティ ホア	85
        VN	givenF	THI THU		ティ トゥー	80
        VN	givenF	THI HANG		ティ ハン	78
        VN	givenF	THI NGA		ティ ガー	72
        VN	givenF	THI TRANG		ティ チャン	70
        VN	givenF	THI LINH		ティ リン	68
        VN	givenF	THI THAO		ティ タオ	65
        VN	givenF	THI HUYEN		ティ フエン	60
        VN	givenF	THI NHUNG		ティ ニュン	58
        VN	givenF	THI PHUONG		ティ フオン	55
        VN	givenF	THI YEN		ティ イエン	52
        VN	givenF	THI NGOC		ティ ゴック	50
        VN	givenF	NGOC ANH		ゴック アイン	45
        VN	givenF	THU TRANG		トゥー チャン	42
        VN	givenF	THI HIEN		ティ ヒエン	40
        VN	givenF	THI DUNG		ティ ズン	38
        VN	givenF	THI HA		ティ ハー	36
        VN	givenF	MY LINH		ミー リン	32
        KR	family	KIM	金	キム	100
        KR	family	LEE	李	イ	85
        KR	family	PARK	朴	パク	60
        KR	family	CHOI	崔	チェ	40
        KR	family	JUNG	鄭	チョン	35
        KR	family	KANG	姜	カン	30
        KR	family	CHO	趙	チョ	28
        KR	family	YOON	尹	ユン	26
        KR	family	JANG	張	チャン	25
        KR	family	LIM	林	イム	24
        KR	family	HAN	韓	ハン	22
        KR	family	OH	呉	オ	20
        KR	family	SEO	徐	ソ	20
        KR	family	KIM	金	キン	20
        KR	family	SHIN	申	シン	19
        KR	family	KWON	権	クォン	18
        KR	family	HWANG	黄	ファン	18
        KR	family	AHN	安	アン	17
        KR	family	SONG	宋	ソン	17
        KR	family	LEE	李	リ	16
        KR	family	HONG	洪	ホン	15
        KR	family	JEON	全	チョン	14
        KR	family	KO	高	コ	14
        KR	family	PARK	朴	ボク	12
        KR	givenM	MINJUN	民俊	ミンジュン	100
        KR	givenM	JIHOON	志勲	チフン	90
        KR	givenM	SUNGMIN	成民	ソンミン	85
        KR	givenM	HYUNWOO	賢宇	ヒョヌ	80
        KR	givenM	JUNHO	俊浩	ジュノ	75
        KR	givenM	DONGHYUN	東賢	トンヒョン	72
        KR	givenM	YOUNGHO	英浩	ヨンホ	70
        KR	givenM	JAEHYUN	在賢	チェヒョン	65
        KR	givenM	SANGCHUL	相哲	サンチョル	60
        KR	givenM	JUNGHO	正浩	チョンホ	58
        KR	givenM	SEUNGMIN	承民	スンミン	55
        KR	givenM	WOOJIN	宇鎮	ウジン	52
        KR	givenM	TAEYUN	泰允	テユン	48
        KR	givenM	SUNGHO	成浩	ソンホ	46
        KR	givenM	YOUNGSOO	永洙	ヨンス	45
        KR	givenM	CHULSOO	哲秀	チョルス	42
        KR	givenM	KWANGSOO	光洙	クァンス	40
        KR	givenM	JONGWON	鐘元	チョンウォン	38
        KR	givenM	YONGJUN	容俊	ヨンジュン	36
        KR	givenM	DOYOON	道允	トユン	34
        KR	givenM	JIHO	志浩	チホ	32
        KR	givenF	JIEUN	智恩	チウン	100
        KR	givenF	SOOYEON	秀妍	スヨン	92
        KR	givenF	MINJI	敏智	ミンジ	90
        KR	givenF	SEOYEON	瑞妍	ソヨン	85
        KR	givenF	HYEJIN	恵珍	ヘジン	80
        KR	givenF	EUNYOUNG	恩英	ウニョン	75
        KR	givenF	JIYOUNG	智英	チヨン	72
        KR	givenF	MIYOUNG	美英	ミヨン	68
        KR	givenF	JUNGEUN	貞恩	チョンウン	62
        KR	givenF	SUJIN	秀珍	スジン	60
        KR	givenF	YOONHEE	允熙	ユニ	55
        KR	givenF	MINSEO	敏瑞	ミンソ	52
        KR	givenF	SEOYUN	瑞允	ソユン	50
        KR	givenF	HAEUN	夏恩	ハウン	48
        KR	givenF	JISOO	智秀	チス	46
        KR	givenF	EUNJI	恩智	ウンジ	45
        KR	givenF	MIKYUNG	美京	ミギョン	42
        KR	givenF	SUNYOUNG	善英	ソニョン	40
        KR	givenF	HYUNJUNG	玄貞	ヒョンジョン	38
        KR	givenF	HYERIM	慧琳	ヘリム	35
        KR	givenF	DAEUN	多恩	タウン	32
        PH	family	SANTOS		サントス	100
        PH	family	REYES		レイエス	90
        PH	family	CRUZ		クルス	85
        PH	family	BAUTISTA		バウティスタ	75
        PH	family	GARCIA		ガルシア	72
        PH	family	MENDOZA		メンドーサ	65
        PH	family	DELA CRUZ		デラ クルス	60
        PH	family	OCAMPO		オカンポ	55
        PH	family	GONZALES		ゴンザレス	55
        PH	family	RAMOS		ラモス	52
        PH	family	AQUINO		アキノ	50
        PH	family	CASTILLO		カスティーヨ	45
        PH	family	VILLANUEVA		ビジャヌエバ	45
        PH	family	FERNANDEZ		フェルナンデス	42
        PH	family	TORRES		トーレス	40
        PH	family	FLORES		フローレス	40
        PH	family	LOPEZ		ロペス	38
        PH	family	DIAZ		ディアス	35
        PH	family	NAVARRO		ナバロ	32
        PH	family	DE GUZMAN		デ グズマン	32
        PH	family	PASCUAL		パスクアル	30
        PH	family	SORIANO		ソリアーノ	28
        PH	givenM	JOHN		ジョン	100
        PH	givenM	MARK		マーク	90
        PH	givenM	JOSEPH		ジョセフ	80
        PH	givenM	MICHAEL		マイケル	78
        PH	givenM	JOSE		ホセ	70
        PH	givenM	JUAN		フアン	60
        PH	givenM	JOHN PAUL		ジョン ポール	55
        PH	givenM	CHRISTIAN		クリスチャン	52
        PH	givenM	RICARDO		リカルド	50
        PH	givenM	JAYSON		ジェイソン	48
        PH	givenM	ROMMEL		ロンメル	42
        PH	givenM	ARNEL		アーネル	40
        PH	givenM	MARK ANTHONY		マーク アンソニー	40
        PH	givenM	RODEL		ロデル	38
        PH	givenM	JOMAR		ジョマール	35
        PH	givenM	ANGELO		アンジェロ	35
        PH	givenM	EDUARDO		エドゥアルド	32
        PH	givenM	RAMON		ラモン	30
        PH	givenM	JERIC		ジェリック	28
        PH	givenM	FERDINAND		フェルディナンド	26
        PH	givenM	RONALD		ロナルド	26
        PH	givenF	MARIA		マリア	100
        PH	givenF	MARY JOY		メアリー ジョイ	80
        PH	givenF	JOCELYN		ジョセリン	75
        PH	givenF	MARICEL		マリセル	70
        PH	givenF	ROSALIE		ロザリー	65
        PH	givenF	CRISTINA		クリスティーナ	60
        PH	givenF	JENNIFER		ジェニファー	58
        PH	givenF	ANALYN		アナリン	55
        PH	givenF	MARIA CRISTINA		マリア クリスティーナ	50
        PH	givenF	MARILOU		マリルー	48
        PH	givenF	LIZA		リザ	45
        PH	givenF	RACHELLE		レイチェル	42
        PH	givenF	GRACE		グレース	42
        PH	givenF	ANGELICA		アンジェリカ	40
        PH	givenF	JOY		ジョイ	38
        PH	givenF	LOURDES		ルルデス	35
        PH	givenF	ROWENA		ロウェナ	34
        PH	givenF	MYLENE		マイリーン	32
        PH	givenF	CHERRY		チェリー	30
        PH	givenF	ROSEMARIE		ローズマリー	30
        PH	givenF	JANET		ジャネット	28
        NP	family	SHRESTHA		シュレスタ	100
        NP	family	GURUNG		グルン	90
        NP	family	TAMANG		タマン	80
        NP	family	RAI		ライ	75
        NP	family	MAGAR		マガル	72
        NP	family	THAPA		タパ	70
        NP	family	KC		ケーシー	65
        NP	family	ADHIKARI		アディカリ	62
        NP	family	BHANDARI		バンダリ	55
        NP	family	KHADKA		カドカ	52
        NP	family	POUDEL		ポウデル	50
        NP	family	SHARMA		シャルマ	50
        NP	family	BASNET		バスネット	45
        NP	family	KARKI		カルキ	45
        NP	family	GHIMIRE		ギミレ	42
        NP	family	LAMA		ラマ	40
        NP	family	PANDEY		パンデイ	38
        NP	family	PAUDEL		パウデル	36
        NP	family	SHAH		シャー	32
        NP	family	BHATTARAI		バッタライ	30
        NP	family	ACHARYA		アチャリヤ	28
        NP	family	LIMBU		リンブー	26
        NP	givenM	RAM		ラム	100
        NP	givenM	BIKASH		ビカス	85
        NP	givenM	SANTOSH		サントス	80
        NP	givenM	RAJESH		ラジェシュ	75
        NP	givenM	SURESH		スレシュ	72
        NP	givenM	RAMESH		ラメシュ	70
        NP	givenM	DIPAK		ディパク	65
        NP	givenM	PRAKASH		プラカシュ	62
        NP	givenM	KRISHNA		クリシュナ	60
        NP	givenM	SUNIL		スニル	55
        NP	givenM	BISHNU		ビシュヌ	52
        NP	givenM	ANIL		アニル	50
        NP	givenM	SAGAR		サガル	50
        NP	givenM	SUMAN		スマン	45
        NP	givenM	BINOD		ビノド	42
        NP	givenM	MANOJ		マノジ	40
        NP	givenM	NABIN		ナビン	38
        NP	givenM	RABIN		ラビン	35
        NP	givenM	SANJAYA		サンジャヤ	32
        NP	givenM	DEEPAK		ディーパク	30
        NP	givenM	ROSHAN		ロシャン	30
        NP	givenF	SITA		シタ	100
        NP	givenF	GITA		ギタ	85
        NP	givenF	SABITA		サビタ	80
        NP	givenF	SUNITA		スニタ	78
        NP	givenF	ANITA		アニタ	72
        NP	givenF	SARITA		サリタ	70
        NP	givenF	KAMALA		カマラ	62
        NP	givenF	RADHA		ラダ	60
        NP	givenF	LAXMI		ラクシュミ	58
        NP	givenF	SUSMITA		ススミタ	55
        NP	givenF	PRATIMA		プラティマ	50
        NP	givenF	ASHMITA		アシュミタ	48
        NP	givenF	PUJA		プジャ	45
        NP	givenF	BINITA		ビニタ	42
        NP	givenF	MANISHA		マニシャ	40
        NP	givenF	ANJALI		アンジャリ	38
        NP	givenF	SANGITA		サンギタ	36
        NP	givenF	RITA		リタ	34
        NP	givenF	SHANTI		シャンティ	32
        NP	givenF	NIRMALA		ニルマラ	30
        NP	givenF	DIPA		ディパ	28
        BR	family	SILVA		シルバ	100
        BR	family	SANTOS		サントス	80
        BR	family	OLIVEIRA		オリベイラ	75
        BR	family	SOUZA		ソウザ	70
        BR	family	RODRIGUES		ロドリゲス	55
        BR	family	FERREIRA		フェレイラ	52
        BR	family	ALVES		アウベス	50
        BR	family	PEREIRA		ペレイラ	50
        BR	family	LIMA		リマ	45
        BR	family	GOMES		ゴメス	42
        BR	family	COSTA		コスタ	40
        BR	family	RIBEIRO		リベイロ	38
        BR	family	MARTINS		マルチンス	36
        BR	family	CARVALHO		カルバーリョ	34
        BR	family	ALMEIDA		アルメイダ	32
        BR	family	LOPES		ロペス	30
        BR	family	SOARES		ソアレス	30
        BR	family	NAKAMURA		ナカムラ	30
        BR	family	FERNANDES		フェルナンデス	28
        BR	family	TANAKA		タナカ	28
        BR	family	SATO		サトウ	28
        BR	family	VIEIRA		ビエイラ	26
        BR	family	BARBOSA		バルボーザ	26
        BR	family	YAMAMOTO		ヤマモト	25
        BR	family	HIGA		ヒガ	22
        BR	family	OSHIRO		オオシロ	20
        BR	family	KOBAYASHI		コバヤシ	20
        BR	givenM	LUCAS		ルーカス	100
        BR	givenM	GABRIEL		ガブリエル	95
        BR	givenM	MATHEUS		マテウス	85
        BR	givenM	PEDRO		ペドロ	80
        BR	givenM	JOAO		ジョアン	78
        BR	givenM	RAFAEL		ラファエル	70
        BR	givenM	FELIPE		フェリペ	65
        BR	givenM	GUSTAVO		グスタボ	62
        BR	givenM	BRUNO		ブルーノ	60
        BR	givenM	RODRIGO		ロドリゴ	58
        BR	givenM	MARCELO		マルセロ	55
        BR	givenM	CARLOS		カルロス	52
        BR	givenM	PAULO		パウロ	50
        BR	givenM	FERNANDO		フェルナンド	48
        BR	givenM	RICARDO		リカルド	45
        BR	givenM	ANDRE		アンドレ	42
        BR	givenM	LEONARDO		レオナルド	40
        BR	givenM	DIEGO		ジエゴ	38
        BR	givenM	THIAGO		チアゴ	36
        BR	givenM	EDUARDO		エドゥアルド	34
        BR	givenM	JOSE		ジョゼ	32
        BR	givenM	MARCOS		マルコス	30
        BR	givenF	MARIA		マリア	100
        BR	givenF	ANA		アナ	90
        BR	givenF	JULIANA		ジュリアナ	75
        BR	givenF	FERNANDA		フェルナンダ	70
        BR	givenF	PATRICIA		パトリシア	65
        BR	givenF	ALINE		アリーネ	62
        BR	givenF	CAMILA		カミラ	60
        BR	givenF	AMANDA		アマンダ	58
        BR	givenF	BRUNA		ブルーナ	55
        BR	givenF	JESSICA		ジェシカ	52
        BR	givenF	LETICIA		レチシア	50
        BR	givenF	BEATRIZ		ベアトリス	48
        BR	givenF	LARISSA		ラリッサ	45
        BR	givenF	GABRIELA		ガブリエラ	45
        BR	givenF	MARIANA		マリアナ	42
        BR	givenF	ADRIANA		アドリアナ	40
        BR	givenF	FRANCISCA		フランシスカ	36
        BR	givenF	VANESSA		バネッサ	35
        BR	givenF	LUCIANA		ルシアナ	34
        BR	givenF	SIMONE		シモーネ	32
        BR	givenF	ERIKA		エリカ	30
        ID	family	SAPUTRA		サプトラ	100
        ID	family	HIDAYAT		ヒダヤット	85
        ID	family	SETIAWAN		セティアワン	80
        ID	family	PRATAMA		プラタマ	78
        ID	family	KURNIAWAN		クルニアワン	72
        ID	family	NUGROHO		ヌグロホ	70
        ID	family	SANTOSO		サントソ	68
        ID	family	WIJAYA		ウィジャヤ	65
        ID	family	GUNAWAN		グナワン	60
        ID	family	SUSANTO		スサント	58
        ID	family	WIBOWO		ウィボウォ	55
        ID	family	HALIM		ハリム	50
        ID	family	SIREGAR		シレガル	48
        ID	family	SIMANJUNTAK		シマンジュンタク	45
        ID	family	NASUTION		ナスティオン	45
        ID	family	LUBIS		ルビス	42
        ID	family	HARAHAP		ハラハップ	40
        ID	family	PURNOMO		プルノモ	38
        ID	family	RAHMAN		ラフマン	36
        ID	family	SETIADI		セティアディ	34
        ID	family	HAKIM		ハキム	32
        ID	givenM	MUHAMMAD		ムハンマド	100
        ID	givenM	AHMAD		アフマド	85
        ID	givenM	AGUS		アグス	80
        ID	givenM	BUDI		ブディ	75
        ID	givenM	RIZKI		リズキ	70
        ID	givenM	ADI		アディ	65
        ID	givenM	DWI		ドゥイ	60
        ID	givenM	EKO		エコ	58
        ID	givenM	ANDI		アンディ	55
        ID	givenM	ARIF		アリフ	52
        ID	givenM	FAJAR		ファジャル	50
        ID	givenM	HENDRA		ヘンドラ	48
        ID	givenM	IRFAN		イルファン	45
        ID	givenM	JOKO		ジョコ	42
        ID	givenM	RUDI		ルディ	40
        ID	givenM	YOGI		ヨギ	38
        ID	givenM	DIMAS		ディマス	36
        ID	givenM	BAYU		バユ	35
        ID	givenM	RIZAL		リザル	32
        ID	givenM	TEGUH		テグー	30
        ID	givenM	WAHYU		ワヒュ	30
        ID	givenF	SITI		シティ	100
        ID	givenF	NUR		ヌル	85
        ID	givenF	DEWI		デウィ	80
        ID	givenF	SRI		スリ	78
        ID	givenF	PUTRI		プトゥリ	75
        ID	givenF	AYU		アユ	70
        ID	givenF	RINA		リナ	62
        ID	givenF	INDAH		インダ	60
        ID	givenF	FITRI		フィトリ	58
        ID	givenF	NOVITA		ノフィタ	55
        ID	givenF	LESTARI		レスタリ	50
        ID	givenF	WULAN		ウラン	48
        ID	givenF	DIAN		ディアン	45
        ID	givenF	RATNA		ラトナ	42
        ID	givenF	YULIA		ユリア	40
        ID	givenF	NURUL		ヌルル	38
        ID	givenF	ANISA		アニサ	36
        ID	givenF	RAHMAWATI		ラフマワティ	34
        ID	givenF	INTAN		インタン	32
        ID	givenF	MAYA		マヤ	30
        ID	givenF	SARI		サリ	30
        MM	family	AUNG		アウン	100
        MM	family	KYAW		チョー	90
        MM	family	ZAW		ゾー	75
        MM	family	MIN		ミン	72
        MM	family	HTET		テッ	65
        MM	family	KHIN		キン	60
        MM	family	THANT		タン	55
        MM	family	NAING		ナイン	52
        MM	family	MYO		ミョー	50
        MM	family	HLAING		フライン	48
        MM	family	WIN		ウィン	48
        MM	family	THEIN		テイン	45
        MM	family	SOE		ソー	45
        MM	family	TUN		トゥン	42
        MM	family	MAUNG		マウン	40
        MM	family	SU		スー	40
        MM	family	NWE		ヌエ	35
        MM	family	SAN		サン	35
        MM	family	MYINT		ミン	32
        MM	family	THU		トゥ	30
        MM	family	THIN		ティン	30
        MM	family	YE		イェ	28
        MM	givenM	AUNG MYO		アウン ミョー	100
        MM	givenM	KYAW ZIN		チョー ズィン	90
        MM	givenM	MIN HTET		ミン テッ	85
        MM	givenM	ZAW MIN		ゾー ミン	80
        MM	givenM	THURA		トゥラ	75
        MM	givenM	HTET AUNG		テッ アウン	72
        MM	givenM	PYAE PHYO		ピェ ピョー	70
        MM	givenM	NAING LIN		ナイン リン	65
        MM	givenM	YE HTUT		イェ トゥッ	60
        MM	givenM	WIN NAING		ウィン ナイン	58
        MM	givenM	SOE MOE		ソー モー	55
        MM	givenM	THANT ZIN		タン ズィン	52
        MM	givenM	KO KO		コー コー	50
        MM	givenM	MYO MIN		ミョー ミン	48
        MM	givenM	HLAING MIN		フライン ミン	45
        MM	givenM	ZAW LIN		ゾー リン	42
        MM	givenM	AUNG KO		アウン コー	40
        MM	givenM	TUN TUN		トゥン トゥン	38
        MM	givenM	MIN KHANT		ミン カン	36
        MM	givenM	SI THU		シー トゥ	34
        MM	givenM	WAI YAN		ワイ ヤン	32
        MM	givenF	SU SU		スー スー	100
        MM	givenF	THIDA		ティダ	90
        MM	givenF	NANDAR		ナンダー	85
        MM	givenF	HNIN WAI		ニン ウェイ	80
        MM	givenF	EI EI		エイ エイ	78
        MM	givenF	PHYU PHYU		ピュー ピュー	75
        MM	givenF	MAY THU		メー トゥ	70
        MM	givenF	SANDAR		サンダー	65
        MM	givenF	MYAT NOE		ミャッ ノー	62
        MM	givenF	ZIN MAR		ズィン マー	60
        MM	givenF	AYE AYE		エー エー	58
        MM	givenF	MOE MOE		モー モー	55
        MM	givenF	NWE NI		ヌエ ニ	50
        MM	givenF	HTET HTET		テッ テッ	48
        MM	givenF	YADANAR		ヤダナー	45
        MM	givenF	WAI WAI		ワイ ワイ	42
        MM	givenF	THIRI		ティリ	40
        MM	givenF	CHO CHO		チョー チョー	38
        MM	givenF	SHWE SIN		シュエ シン	36
        MM	givenF	MI MI		ミ ミ	34
        MM	givenF	ZAR CHI		ザー チー	32
        XX	family	SMITH		スミス	100
        XX	family	JOHNSON		ジョンソン	80
        XX	family	WILLIAMS		ウィリアムズ	78
        XX	family	BROWN		ブラウン	75
        XX	family	JONES		ジョーンズ	70
        XX	family	MILLER		ミラー	65
        XX	family	DAVIS		デイビス	62
        XX	family	WILSON		ウィルソン	58
        XX	family	TAYLOR		テイラー	55
        XX	family	ANDERSON		アンダーソン	52
        XX	family	THOMAS		トーマス	50
        XX	family	MOORE		ムーア	48
        XX	family	MARTIN		マーティン	48
        XX	family	WHITE		ホワイト	45
        XX	family	CLARK		クラーク	42
        XX	family	LEE		リー	42
        XX	family	WALKER		ウォーカー	40
        XX	family	SINGH		シン	40
        XX	family	EVANS		エバンズ	38
        XX	family	ROBINSON		ロビンソン	36
        XX	family	MULLER		ミュラー	35
        XX	family	KUMAR		クマール	35
        XX	family	KHAN		カーン	30
        XX	givenM	JAMES		ジェームズ	100
        XX	givenM	MICHAEL		マイケル	95
        XX	givenM	DAVID		デイビッド	90
        XX	givenM	ROBERT		ロバート	82
        XX	givenM	WILLIAM		ウィリアム	80
        XX	givenM	DANIEL		ダニエル	78
        XX	givenM	THOMAS		トーマス	72
        XX	givenM	CHRISTOPHER		クリストファー	68
        XX	givenM	MATTHEW		マシュー	65
        XX	givenM	ANDREW		アンドリュー	62
        XX	givenM	RYAN		ライアン	58
        XX	givenM	BENJAMIN		ベンジャミン	55
        XX	givenM	JOSHUA		ジョシュア	52
        XX	givenM	PAUL		ポール	50
        XX	givenM	RICHARD		リチャード	48
        XX	givenM	KEVIN		ケビン	45
        XX	givenM	ALEXANDER		アレクサンダー	42
        XX	givenM	NICHOLAS		ニコラス	40
        XX	givenM	PETER		ピーター	38
        XX	givenM	SAMUEL		サミュエル	36
        XX	givenM	ALEKSANDR		アレクサンドル	30
        XX	givenF	SARAH		サラ	100
        XX	givenF	EMILY		エミリー	95
        XX	givenF	JENNIFER		ジェニファー	88
        XX	givenF	JESSICA		ジェシカ	85
        XX	givenF	ELIZABETH		エリザベス	80
        XX	givenF	EMMA		エマ	78
        XX	givenF	OLIVIA		オリビア	72
        XX	givenF	MARY		メアリー	70
        XX	givenF	ANNA		アンナ	68
        XX	givenF	LAURA		ローラ	62
        XX	givenF	REBECCA		レベッカ	58
        XX	givenF	RACHEL		レイチェル	55
        XX	givenF	HANNAH		ハンナ	52
        XX	givenF	KATHERINE		キャサリン	50
        XX	givenF	MICHELLE		ミシェル	48
        XX	givenF	LISA		リサ	45
        XX	givenF	AMY		エイミー	42
        XX	givenF	CHARLOTTE		シャーロット	40
        XX	givenF	SOPHIE		ソフィー	38
        XX	givenF	JULIA		ジュリア	36
        XX	givenF	NATALIA		ナタリア	32
        """#
}
